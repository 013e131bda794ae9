package io.libchan.internal.session;

/**
 * When a SPDY session sends its keep-alive PINGs and when it gives the peer up (PROTOCOL.md section
 * 4.5): a PING {@code interval} after the last bytes heard, the peer lost {@code timeout} after an
 * unanswered PING. Each PING gets a new id of our parity (client 1, 3, 5..., server 2, 4, 6...) so a
 * late answer to an earlier PING does not pass for the current one.
 *
 * <p>Holds no clock and no thread: the session calls {@link #tick} on its timer at the delay each tick
 * returns, so a PING leaves on time rather than at the next multiple of a polling period.
 * Thread-safe: {@link #answered} from the reader, {@link #tick} from the timer.
 */
final class KeepAlive {
    /**
     * What a tick decided: send PING {@code pingId} (when not 0), or give the peer up ({@code lost});
     * tick again after {@code delayNanos} unless lost.
     */
    record Decision(int pingId, boolean lost, long delayNanos) {
    }

    private final long intervalNanos;
    private final long timeoutNanos;
    private final int firstId;
    private long quietSince;  // guarded by this; when a hold-back last ended the wait
    private int nextId;       // guarded by this
    private int outstanding;  // guarded by this; 0 when no PING waits for its answer
    private long sentAt;      // guarded by this

    KeepAlive(long intervalNanos, long timeoutNanos, boolean server, long now) {
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.firstId = server ? 2 : 1;
        this.nextId = firstId;
        this.quietSince = now;
    }

    /** The peer answered the PING {@code id} (one of our parity); only the current PING's id counts. */
    synchronized void answered(int id) {
        if (id != 0 && id == outstanding) {
            outstanding = 0;
        }
    }

    /**
     * Decides at {@code now}, the peer's last bytes having come at {@code lastHeard}. {@code heldBack}:
     * one side holds the other back (we stopped reading, or our bytes wait for the socket or the
     * peer's window), so silence proves nothing and the wait starts again.
     */
    synchronized Decision tick(long now, long lastHeard, boolean heldBack) {
        if (heldBack) {
            outstanding = 0;
            quietSince = now;
            return new Decision(0, false, intervalNanos);
        }
        if (outstanding != 0) {
            long waited = now - sentAt;
            if (waited >= timeoutNanos) {
                return new Decision(0, true, 0);
            }
            // wake at the timeout, or an interval from now when that is sooner: an answer may come
            // meanwhile, and the next PING is due an interval after it, not at this one's timeout
            return new Decision(0, false, Math.min(intervalNanos, timeoutNanos - waited));
        }
        long idle = now - (lastHeard - quietSince > 0 ? lastHeard : quietSince); // nanoTime: compare differences
        if (idle < intervalNanos) {
            return new Decision(0, false, intervalNanos - idle);
        }
        outstanding = nextId;
        nextId = nextId > Integer.MAX_VALUE - 2 ? firstId : nextId + 2;
        sentAt = now;
        return new Decision(outstanding, false, Math.min(intervalNanos, timeoutNanos));
    }
}
