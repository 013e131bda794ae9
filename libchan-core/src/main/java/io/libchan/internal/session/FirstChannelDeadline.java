package io.libchan.internal.session;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A raw listener's session must see a top-level channel within {@code firstStreamTimeout}, opened by
 * either side (PROTOCOL.md section 4.6): a connection that opens none, sending nothing or only PINGs,
 * would otherwise hold its socket, and on an authenticating server an unauthenticated seat, for as
 * long as it likes. Once {@link #met()} the deadline is gone for good; else, when it passes, the
 * session is told once ({@code onExpiry}). Thread-safe.
 */
final class FirstChannelDeadline {
    private volatile boolean met;
    private volatile ScheduledFuture<?> timer;

    /**
     * Starts the clock: {@code onExpiry} runs on {@code scheduler} after {@code millis} unless a
     * channel was opened by then. Nothing when {@code millis} is 0 or less (no deadline), or when the
     * scheduler is shutting down with the library.
     */
    void arm(ScheduledExecutorService scheduler, long millis, Runnable onExpiry) {
        if (millis <= 0 || met) {
            return;
        }
        try {
            timer = scheduler.schedule(() -> {
                if (!met) {
                    onExpiry.run();
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return;
        }
        if (met) {
            cancel(); // met meanwhile: its cancel may have run before the timer was stored
        }
    }

    /** A top-level channel was opened: the session is in use. */
    void met() {
        if (!met) {
            met = true;
            cancel();
        }
    }

    /** The session ended: the timer need not keep it reachable until it fires. */
    void cancel() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
