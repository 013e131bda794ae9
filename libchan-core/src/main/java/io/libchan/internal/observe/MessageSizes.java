package io.libchan.internal.observe;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.context.Context;

/**
 * Records the message sizes of the sessions of one (transport, listener) in
 * {@code libchan.message.size}, and hands each value to {@link MetricTap}. Where the SDK offers it
 * (OpenTelemetry's incubating {@code ExtendedLongHistogram.bind}, there when the application has
 * {@code opentelemetry-api-incubator} of its SDK's version) through handles bound to the direction's
 * attributes: the SDK then skips its look-up of the attributes, 11 ns a record instead of 20 on this
 * machine, half of what metrics cost per message (issue 18 item 8). Otherwise by attributes on every
 * record. Thread-safe.
 */
abstract class MessageSizes {
    private static final boolean INCUBATOR = present("io.opentelemetry.api.incubator.metrics.ExtendedLongHistogram");

    final SessionAttributes attributes;

    MessageSizes(SessionAttributes attributes) {
        this.attributes = attributes;
    }

    /** Bound handles of {@code histogram} when it has them, else records by attributes. */
    static MessageSizes of(LongHistogram histogram, SessionAttributes a) {
        if (INCUBATOR) {
            try {
                MessageSizes bound = BoundMessageSizes.bindOrNull(histogram, a);
                if (bound != null) {
                    return bound;
                }
            } catch (LinkageError olderSdk) {
                // an SDK built before bind existed, beside a newer incubator: records by attributes
            }
        }
        return new ByAttributes(histogram, a);
    }

    final void sent(int bytes) {
        recordSent(bytes);
        MetricTap.recorded(Instrument.MESSAGE_SIZE, attributes.sent(), bytes);
    }

    final void received(int bytes) {
        recordReceived(bytes);
        MetricTap.recorded(Instrument.MESSAGE_SIZE, attributes.received(), bytes);
    }

    // Context.root() in both ways of recording: no exemplar for a message size (the SDK's default
    // filter would sample the caller's span on every message: a clock read and a reservoir write each
    // time, measured as most of what metrics cost with tracing on at 64 in flight, issue 18 item 8)
    abstract void recordSent(int bytes);

    abstract void recordReceived(int bytes);

    /** Whether this records through bound handles (for tests). */
    abstract boolean bound();

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MessageSizes.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    private static final class ByAttributes extends MessageSizes {
        private final LongHistogram histogram;

        ByAttributes(LongHistogram histogram, SessionAttributes a) {
            super(a);
            this.histogram = histogram;
        }

        @Override
        void recordSent(int bytes) {
            histogram.record(bytes, attributes.sent(), Context.root());
        }

        @Override
        void recordReceived(int bytes) {
            histogram.record(bytes, attributes.received(), Context.root());
        }

        @Override
        boolean bound() {
            return false;
        }
    }
}
