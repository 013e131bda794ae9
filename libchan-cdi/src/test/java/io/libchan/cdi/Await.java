package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Waiting on conditions with a timeout, never for a fixed time. */
final class Await {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /** Re-checks {@code condition} (yielding in between) until it holds; fails after {@link #TIMEOUT}. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Takes elements until one matches; fails after {@link #TIMEOUT}. */
    static <T> T next(BlockingQueue<? super T> queue, Class<T> type, Predicate<T> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Object e = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                fail("timed out waiting for a " + type.getSimpleName());
            }
            if (type.isInstance(e) && matching.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }
}
