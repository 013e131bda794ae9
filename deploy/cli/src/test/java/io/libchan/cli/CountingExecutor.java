package io.libchan.cli;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * An executor that knows how many of its tasks are queued or running, so a test can wait (with a
 * deadline) until a service has nothing left to do. Thread-safe; {@code pending} is guarded by {@code this}.
 */
final class CountingExecutor implements Executor {
    private final Executor delegate;
    private int pending;

    CountingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            pending++;
        }
        try {
            delegate.execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (RuntimeException e) {
            done();
            throw e;
        }
    }

    private synchronized void done() {
        if (--pending == 0) {
            notifyAll();
        }
    }

    /** Waits until no task is queued or running; false if some still are at the deadline. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized int pending() {
        return pending;
    }
}
