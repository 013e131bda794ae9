package io.libchan.internal.queue;

import io.libchan.LibchanException;

/** A {@link ChannelQueue#takeAsync()} waiting for a message; completes its future outside the lock. */
final class FutureTaker implements Taker {
    final WithdrawableFuture<Object> future = new WithdrawableFuture<>();
    private Object item;
    private LibchanException error;
    boolean done; // guarded by the queue lock

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
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(ChannelQueue.unmask(item));
        }
    }
}
