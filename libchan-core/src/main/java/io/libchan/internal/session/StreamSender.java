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

    /**
     * Sends at once, on the calling thread, when nothing would make it wait (the stream is free and
     * the peer's window takes the message: always with a peer that keeps no windows, such as Go);
     * otherwise the send is queued behind this sender's earlier asynchronous sends and made on the
     * session's executor. Never blocks, so a callback on the connection's I/O thread may call it.
     */
    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        AsyncSends queue = queued;
        if (queue == null || queue.isIdle()) {
            Object now;
            try {
                now = stream.session().trySendMessage(stream, message);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            if (now == SpdySession.SENT) {
                return CompletableFuture.completedFuture(null);
            }
            if (now instanceof SpdySession.Encoded) {
                SpdySession.Encoded encoded = (SpdySession.Encoded) now;
                return queue().add(() -> stream.session().sendEncoded(stream, encoded, Long.MAX_VALUE), encoded);
            }
        }
        return queue().add(() -> send(message), null);
    }

    private volatile AsyncSends queued;

    private AsyncSends queue() {
        AsyncSends q = queued;
        if (q == null) {
            synchronized (this) {
                q = queued;
                if (q == null) {
                    q = new AsyncSends(stream.session().executor());
                    queued = q;
                }
            }
        }
        return q;
    }

    @Override
    public java.util.Map<String, String> traceContext() {
        return stream.local || stream.trace == null ? java.util.Map.of() : stream.trace; // ours: not shown
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
