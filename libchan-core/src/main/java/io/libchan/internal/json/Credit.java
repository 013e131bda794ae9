package io.libchan.internal.json;

import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.LibchanException;
import java.util.ArrayList;
import java.util.List;
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
    private List<Runnable> waiters; // made when first needed: most windows never run dry


    Credit(long initial) {
        this.available = initial;
    }

    void add(long n) {
        List<Runnable> w;
        lock.lock();
        try {
            available += n;
            changed.signalAll();
            w = takeWaiters();
        } finally {
            lock.unlock();
        }
        run(w);
    }

    /** From now on every take fails with {@code e}. */
    void fail(LibchanException e) {
        List<Runnable> w;
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
            w = takeWaiters();
        } finally {
            lock.unlock();
        }
        run(w);
    }

    /**
     * Runs {@code then} once there is credit to take or the window failed: at once (on this thread)
     * if so now, else on the thread of the {@link #add} or {@link #fail} that makes it so, which is
     * the session's reader: {@code then} must not block.
     */
    void whenAvailable(Runnable then) {
        lock.lock();
        try {
            if (available <= 0 && failure == null) {
                if (waiters == null) {
                    waiters = new ArrayList<>(1);
                }
                waiters.add(then);
                return;
            }
        } finally {
            lock.unlock();
        }
        then.run();
    }

    /** Takes one unit if there is one, without waiting; throws the window's failure. */
    boolean tryTake() {
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            if (available > 0) {
                available--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private List<Runnable> takeWaiters() {
        if (waiters == null || waiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> w = new ArrayList<>(waiters);
        waiters.clear();
        return w;
    }

    private static void run(List<Runnable> w) {
        w.forEach(Runnable::run);
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
