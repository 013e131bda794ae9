package io.libchan.internal.queue;

import io.libchan.LibchanException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A thread parked in {@link ChannelQueue#take(long)}, or reading the connection through the
 * queue's {@link ReadAssist}. Fields are written under the queue lock before {@code done}.
 */
final class ThreadTaker implements Taker, BooleanSupplier {
    final Thread thread = Thread.currentThread();
    final ReadAssist assist;
    Object item;
    LibchanException error;
    volatile boolean done;

    ThreadTaker(ReadAssist assist) {
        this.assist = assist;
    }

    /** True while the taker still waits (the {@link ReadAssist#await} condition). */
    @Override
    public boolean getAsBoolean() {
        return !done;
    }

    @Override
    public boolean acceptLocked(Object value) {
        item = value;
        done = true;
        return false;
    }

    @Override
    public void failLocked(LibchanException e) {
        error = e;
        done = true;
    }

    /** Only unparks (or wakes through the assist) the waiting thread. */
    @Override
    public boolean signalRunsApplicationCode() {
        return false;
    }

    @Override
    public void signal() {
        if (assist != null) {
            assist.wake(thread);
        } else {
            LockSupport.unpark(thread);
        }
    }
}
