package io.libchan.internal.nio;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.System.Logger.Level;

/**
 * A log line that is written at most once a second, with the number of times it happened since
 * the last one: what a listener logs when it refuses connections (thousands a second under
 * attack) or cannot accept (out of file descriptors). Thread-safe.
 */
final class RateLimitedLog {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);
    private final System.Logger log;
    private final Level level;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(System.Logger log, Level level) {
        this.log = log;
        this.level = level;
    }

    /** Logs {@code message} unless a line was logged less than a second ago (then only counts it). */
    void log(String message) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < INTERVAL || !lastLogged.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return;
        }
        long more = suppressed.getAndSet(0);
        try {
            log.log(level, more == 0 ? message : message + " (and " + more + " more times since the last report)");
        } catch (Throwable e) {
            // a report must never stop what it reports on (logging can fail too: out of file descriptors)
        }
    }
}
