package io.libchan.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a thread is parked (waiting on a lock, a condition or a queue), so a test can act on
 * a call that is blocked rather than one that has not started yet. A thread's state has no event
 * to wait on, so this polls it, bounded by a generous timeout: the wait ends as soon as the thread
 * parks, however loaded the machine is.
 */
public final class Parked {
    private Parked() {
    }

    /** Returns once {@code thread} is WAITING or TIMED_WAITING; fails after {@code timeout}. */
    public static void await(Thread thread, Duration timeout) {
        await(thread, timeout, false);
    }

    /** As {@link #await(Thread)}, but a thread that ended (had no need to wait) also returns. */
    public static void awaitOrEnd(Thread thread) {
        await(thread, Duration.ofSeconds(30), true);
    }

    private static void await(Thread thread, Duration timeout, boolean endIsFine) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return;
            }
            if (state == Thread.State.TERMINATED) {
                if (endIsFine) {
                    return;
                }
                throw new AssertionError(thread.getName() + " ended instead of waiting");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(thread.getName() + " is still " + state + " after " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** As {@link #await(Thread, Duration)} with 30 s. */
    public static void await(Thread thread) {
        await(thread, Duration.ofSeconds(30));
    }

    /**
     * Returns once some thread is parked inside a method named {@code method} (of any class), for a
     * wait that happens on a thread the test does not own; fails after 30 s.
     */
    public static Thread awaitIn(String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                Thread.State state = e.getKey().getState();
                if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                        && Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals(method))) {
                    return e.getKey();
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no thread is waiting in " + method + " after 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
