package io.libchan.internal.observe;

import io.opentelemetry.api.incubator.metrics.BoundLongHistogram;
import io.opentelemetry.api.incubator.metrics.ExtendedLongHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.context.Context;

/**
 * {@link MessageSizes} through handles bound to the two directions' attributes. The only class
 * that names the incubating API (an optional dependency): loaded only when it is present.
 */
final class BoundMessageSizes extends MessageSizes {
    private final BoundLongHistogram sent;
    private final BoundLongHistogram received;

    private BoundMessageSizes(SessionAttributes a, BoundLongHistogram sent, BoundLongHistogram received) {
        super(a);
        this.sent = sent;
        this.received = received;
    }

    /** Null when {@code histogram} cannot bind (a no-op one, or an SDK without the incubating API). */
    static MessageSizes bindOrNull(LongHistogram histogram, SessionAttributes a) {
        if (histogram instanceof ExtendedLongHistogram extended) {
            return new BoundMessageSizes(a, extended.bind(a.sent()), extended.bind(a.received()));
        }
        return null;
    }

    @Override
    void recordSent(int bytes) {
        sent.record(bytes, Context.root());
    }

    @Override
    void recordReceived(int bytes) {
        received.record(bytes, Context.root());
    }

    @Override
    boolean bound() {
        return true;
    }
}
