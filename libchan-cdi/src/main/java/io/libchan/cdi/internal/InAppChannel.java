package io.libchan.cdi.internal;

import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * An in-app {@code inmem:x} channel: one {@link Pipe} shared by every injected Sender and Receiver
 * of the channels with that URI, and by the endpoints named after those channels, which consume
 * it through {@link #CONSUMERS} (or their concurrency limit) competing subscribers. At shutdown
 * the pipe's sending end is closed, so consumers handle what is left, then see its end.
 * Thread-safe.
 */
final class InAppChannel {
    /** Competing consumers per endpoint when the endpoint has no concurrency limit. */
    static final int CONSUMERS = 16;

    private final Pipe pipe;
    private final List<ChannelSubscriber> consumers = new CopyOnWriteArrayList<>();

    InAppChannel(int buffer) {
        this.pipe = buffer == 0 ? Pipe.create() : Pipe.buffered(buffer);
    }

    Sender sender(String channelName) {
        return new ManagedSender(pipe.sender(), channelName);
    }

    Receiver receiver(String channelName) {
        return new ManagedReceiver(pipe.receiver(), channelName);
    }

    /** Starts serving the pipe to {@code endpoint} with {@code limit} consumers ({@link #CONSUMERS} for 0). */
    void serve(EndpointDispatcher endpoint, int limit, CallInfo call, Executor executor) {
        int count = limit > 0 ? limit : CONSUMERS;
        for (int i = 0; i < count; i++) {
            ChannelSubscriber consumer = new ChannelSubscriber(receiver(call.source()), endpoint, call, () -> { });
            consumers.add(consumer);
            consumer.start(executor);
        }
    }

    /** Shutdown: no more sends; waits until consumers handled every message left, or {@code deadline}. */
    void close(long deadline) throws InterruptedException {
        pipe.sender().close();
        for (ChannelSubscriber consumer : consumers) {
            consumer.awaitEnd(deadline);
        }
    }
}
