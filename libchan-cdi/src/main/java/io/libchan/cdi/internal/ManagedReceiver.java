package io.libchan.cdi.internal;

import io.libchan.Receiver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * The injected {@link Receiver} of an in-app channel: the shared pipe's receiving end, competing
 * with every other injected Receiver and endpoint of the channel. After shutdown it reports
 * end-of-channel once the pipe is empty. {@link #close()} does nothing, since others share it.
 * Thread-safe, as the pipe.
 */
final class ManagedReceiver implements Receiver {
    private final Receiver pipe;
    private final String name;

    ManagedReceiver(Receiver pipe, String name) {
        this.pipe = pipe;
        this.name = name;
    }

    @Override
    public Object receive() {
        return pipe.receive();
    }

    @Override
    public <T> T receive(Class<T> type) {
        return pipe.receive(type);
    }

    @Override
    public <T> T receive(Class<T> type, Duration timeout) {
        return pipe.receive(type, timeout);
    }

    @Override
    public <T> CompletableFuture<T> receiveAsync(Class<T> type) {
        return pipe.receiveAsync(type);
    }

    @Override
    public <T> Flow.Publisher<T> publisher(Class<T> type, Executor executor) {
        return pipe.publisher(type, executor);
    }

    @Override
    public Optional<String> channelName() {
        return Optional.of(name);
    }

    @Override
    public void close() {
        // owned by the container
    }

    @Override
    public String toString() {
        return "Receiver[@Channel(\"" + name + "\")]";
    }
}
