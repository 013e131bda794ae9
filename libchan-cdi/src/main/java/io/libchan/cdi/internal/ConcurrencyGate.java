package io.libchan.cdi.internal;

import java.util.ArrayDeque;

/**
 * Admits at most {@code limit} tasks at once (0: no limit); tasks over the limit wait in arrival
 * order and are started by the {@link #release()} that frees their permit. Nothing blocks:
 * {@link #acquire} either starts the task now or queues it. The queue holds at most one task per
 * served channel, since a channel asks for its next message only after the last one was handled.
 * Thread-safe; permits and waiting tasks are guarded by {@code this}.
 */
final class ConcurrencyGate {
    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inUse;

    ConcurrencyGate(int limit) {
        this.limit = limit;
    }

    /** Runs {@code task} (on this thread) once a permit is free; the task must call {@link #release()} when done. */
    void acquire(Runnable task) {
        synchronized (this) {
            if (limit > 0 && inUse >= limit) {
                waiting.addLast(task);
                return;
            }
            inUse++;
        }
        task.run();
    }

    /** Frees a permit, handing it straight to the longest-waiting task if there is one. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inUse--;
                notifyAll();
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Waits until no task runs or waits, or until {@code deadline} ({@link System#nanoTime()}); true if idle. */
    synchronized boolean awaitIdle(long deadline) throws InterruptedException {
        while (inUse > 0 || !waiting.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
        }
        return true;
    }
}
