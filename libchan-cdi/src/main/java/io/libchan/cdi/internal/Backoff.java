package io.libchan.cdi.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect back-off: {@code first * 2^(failures-1)}, at most {@code max}, each delay
 * jittered down by up to a fifth so that many clients of one restarted peer do not reconnect in
 * step. Immutable.
 */
final class Backoff {
    private final Duration first;
    private final Duration max;

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max.compareTo(first) < 0 ? first : max;
    }

    /** The delay before the next attempt after {@code failures} failed ones (1 or more). */
    Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long nanos = first.toNanos();
        for (int i = 0; i < doublings && nanos < max.toNanos(); i++) {
            nanos *= 2;
        }
        nanos = Math.min(nanos, max.toNanos());
        return Duration.ofNanos(nanos - (long) (nanos * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
}
