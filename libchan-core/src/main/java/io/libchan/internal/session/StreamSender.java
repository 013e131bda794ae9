package io.libchan.internal.session;

import io.libchan.Sender;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.queue.WithdrawableFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link Sender} whose messages go out on one SPDY stream of a session. Thread-safe. */
final class StreamSender implements Sender {
    private final SessionStream stream;

    StreamSender(SessionStream stream) {
        this.stream = stream;
    }

    @Override
    public void send(Object message) {
        stream.session().sendMessage(stream, message, Long.MAX_VALUE);
    }

    @Override
    public void send(Object message, Duration timeout) {
        stream.session().sendMessage(stream, message, QueueReceiver.deadline(timeout));
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        WithdrawableFuture<Void> future = new WithdrawableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        future.withdrawWith(() -> started.compareAndSet(false, true));
        try {
            stream.session().executor().execute(() -> {
                if (!started.compareAndSet(false, true)) {
                    return; // cancelled before it started
                }
                try {
                    send(message);
                    future.complete(null);
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    @Override
    public void close() {
        stream.session().finish(stream, false);
    }

    /** Aborts the channel (RST_STREAM CANCEL): its receiver gets a failure, not a clean end. */
    void reset() {
        stream.session().resetStream(stream, io.libchan.internal.spdy.SpdyStatus.RST_CANCEL, false);
    }

    @Override
    public String toString() {
        return "Sender(" + stream + ")";
    }
}
