package io.libchan.internal.inmem;

import io.libchan.Sender;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The sending end of an in-memory {@link io.libchan.Pipe}. Thread-safe. */
public final class PipeSender implements Sender {
    private final ChannelQueue queue;
    /** Counts a message sent, for an in-memory session's info and metrics; or null. */
    private final Runnable sent;

    public PipeSender(ChannelQueue queue) {
        this(queue, null);
    }

    PipeSender(ChannelQueue queue, Runnable sent) {
        this.queue = queue;
        this.sent = sent;
    }

    private void count() {
        if (sent != null) {
            sent.run();
        }
    }

    /** The queue messages go into; a network session delivers a remote peer's messages straight into it. */
    public ChannelQueue queue() {
        return queue;
    }

    @Override
    public void send(Object message) {
        queue.put(message, Long.MAX_VALUE);
        count();
    }

    @Override
    public void send(Object message, Duration timeout) {
        queue.put(message, QueueReceiver.deadline(timeout));
        count();
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        count();
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
