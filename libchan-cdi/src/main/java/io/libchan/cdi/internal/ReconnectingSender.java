package io.libchan.cdi.internal;

import io.libchan.LibchanException;
import io.libchan.Sender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The injected {@link Sender} of a remote channel: each send goes on the current top-level
 * channel of the channel's {@link ClientSession}, opened on demand. While the session is down a
 * send fails at once with {@link io.libchan.ConnectionLostException}; once the session is back,
 * sends go on a new channel of the new session. {@link #close()} ends the current channel (the
 * peer sees end-of-channel); the next send opens another. The first use of a {@code lazy} channel
 * connects on the calling thread (within {@code connect-timeout}), {@link #sendAsync} included.
 * Thread-safe.
 */
final class ReconnectingSender implements Sender {
    private final ClientSession session;

    ReconnectingSender(ClientSession session) {
        this.session = session;
    }

    @Override
    public void send(Object message) {
        ClientSession.OpenChannel open = session.channel();
        try {
            open.sender().send(message);
        } catch (LibchanException e) {
            throw session.sendFailed(open, e);
        }
    }

    @Override
    public void send(Object message, Duration timeout) {
        ClientSession.OpenChannel open = session.channel();
        try {
            open.sender().send(message, timeout);
        } catch (LibchanException e) {
            throw session.sendFailed(open, e);
        }
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        ClientSession.OpenChannel open;
        try {
            open = session.channel();
        } catch (LibchanException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> sent = open.sender().sendAsync(message);
        CompletableFuture<Void> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                sent.cancel(mayInterruptIfRunning); // withdraws the message, as the contract promises
                return super.cancel(mayInterruptIfRunning);
            }
        };
        sent.whenComplete((ok, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                result.complete(null);
            } else if (cause instanceof LibchanException le) {
                result.completeExceptionally(session.sendFailed(open, le));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    @Override
    public void close() {
        session.endChannel();
    }

    @Override
    public String toString() {
        return "Sender[@Channel(\"" + session.name() + "\")]";
    }
}
