package io.libchan.cdi.internal;

import io.libchan.Sender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The injected {@link Sender} of an in-app channel: the shared pipe's sending end, which the
 * container closes at shutdown; {@link #close()} does nothing, since other beans share it.
 * Thread-safe, as the pipe.
 */
final class ManagedSender implements Sender {
    private final Sender pipe;
    private final String name;

    ManagedSender(Sender pipe, String name) {
        this.pipe = pipe;
        this.name = name;
    }

    @Override
    public void send(Object message) {
        pipe.send(message);
    }

    @Override
    public void send(Object message, Duration timeout) {
        pipe.send(message, timeout);
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        return pipe.sendAsync(message);
    }

    @Override
    public void close() {
        // owned by the container
    }

    @Override
    public String toString() {
        return "Sender[@Channel(\"" + name + "\")]";
    }
}
