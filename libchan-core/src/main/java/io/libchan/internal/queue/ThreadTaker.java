package io.libchan.internal.queue;

import io.libchan.LibchanException;
import java.util.concurrent.locks.LockSupport;

/** A thread parked in {@link ChannelQueue#take(long)}. Fields are written under the queue lock before {@code done}. */
final class ThreadTaker implements Taker {
    final Thread thread = Thread.currentThread();
    Object item;
    LibchanException error;
    volatile boolean done;

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

    @Override
    public void signal() {
        LockSupport.unpark(thread);
    }
}
