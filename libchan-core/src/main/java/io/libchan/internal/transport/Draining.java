package io.libchan.internal.transport;

import io.libchan.Transport;

/**
 * A session that knows how long it has been draining (going away, its open channels given the
 * drain timeout to end): a listener's health counts those its drain timeout failed to end
 * ({@link io.libchan.ListenerState#stuckDraining()}).
 */
public interface Draining {
    /**
     * True when it started to drain more than twice its drain timeout before {@code now} (a
     * {@link System#nanoTime()}) and has still not ended.
     */
    boolean drainOverdue(long now);

    /** Whether {@code session}, or the session a {@link ForwardingTransport} hands its calls to, is overdue. */
    static boolean overdue(Transport session, long now) {
        Transport t = session;
        while (t instanceof ForwardingTransport f) {
            t = f.delegate();
        }
        return t instanceof Draining d && d.drainOverdue(now);
    }
}
