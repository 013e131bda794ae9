package io.libchan.internal.inmem;

import io.libchan.Sender;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The sending end of an in-memory {@link io.libchan.Pipe}. Thread-safe. */
public final class PipeSender implements Sender {
    private final ChannelQueue queue;

    public PipeSender(ChannelQueue queue) {
        this.queue = queue;
    }

    /** The queue messages go into; a network session delivers a remote peer's messages straight into it. */
    public ChannelQueue queue() {
        return queue;
    }

    @Override
    public void send(Object message) {
        queue.put(message, Long.MAX_VALUE);
    }

    @Override
    public void send(Object message, Duration timeout) {
        queue.put(message, QueueReceiver.deadline(timeout));
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        return queue.putAsync(message);
    }

    @Override
    public void close() {
        queue.closeSend();
    }

    @Override
    public String toString() {
        return "PipeSender@" + Integer.toHexString(System.identityHashCode(this));
    }
}
