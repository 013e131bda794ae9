package io.libchan.internal.json;

import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.LibchanException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writer's side of one window: how much the reader still takes. Writers wait here, or leave a
 * callback ({@link #whenAvailable}) so that nothing waits; a credit frame or the end of the channel
 * wakes them. All fields guarded by {@link #lock}.
 */
final class Credit {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long available;
    private LibchanException failure;
    private Runnable waiter;


    Credit(long initial) {
        this.available = initial;
    }

    void add(long n) {
        Runnable w;
        lock.lock();
        try {
            available += n;
            changed.signalAll();
            w = takeWaiter();
        } finally {
            lock.unlock();
        }
        run(w);
    }

    /** From now on every take fails with {@code e}. */
    void fail(LibchanException e) {
        Runnable w;
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
            w = takeWaiter();
        } finally {
            lock.unlock();
        }
        run(w);
    }

    /**
     * Runs {@code then} once there is credit to take or the window failed: at once (on this thread)
     * if so now, else on the thread of the {@link #add} or {@link #fail} that makes it so, which is
     * the session's reader: {@code then} must not block. One waiter at a time (a pump's).
     */
    void whenAvailable(Runnable then) {
        lock.lock();
        try {
            if (available <= 0 && failure == null) {
                waiter = then;
                return;
            }
        } finally {
            lock.unlock();
        }
        then.run();
    }

    private Runnable takeWaiter() {
        Runnable w = waiter;
        waiter = null;
        return w;
    }

    private static void run(Runnable w) {
        if (w != null) {
            w.run();
        }
    }

    /**
     * Takes up to {@code want} (at least 1), waiting until {@code deadline} ({@link System#nanoTime()},
     * {@link Long#MAX_VALUE} for none).
     */
    long take(long want, long deadline) {
        lock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw failure;
                }
                if (available > 0) {
                    long granted = Math.min(want, available);
                    available -= granted;
                    return granted;
                }
                if (deadline == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ChannelTimeoutException("send timed out waiting for the reader's credit");
                    }
                    changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back what a failed send took. */
    void giveBack(long n) {
        add(n);
    }
}
