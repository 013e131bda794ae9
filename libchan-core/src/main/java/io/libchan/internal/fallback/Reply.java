package io.libchan.internal.fallback;

import io.libchan.Sender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The reply channel ({@code ret}) of an HTTP/1.1 call: what the application sends on it becomes the
 * HTTP response. {@link #answered()} completes once the response has started (or ended), so the
 * handler knows when its timeout no longer applies; {@link #finished()} once it is complete.
 */
abstract class Reply implements Sender {
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    CompletableFuture<Void> answered() {
        return answered;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    protected void markAnswered() {
        answered.complete(null);
    }

    protected void markFinished() {
        answered.complete(null);
        finished.complete(null);
    }

    /** Nothing was answered in time: answer 504 unless an answer has started. */
    abstract void expire(Duration after);

    /** The session was aborted: answer 503 unless an answer has started, stop streaming. */
    abstract void abandon();

    @Override
    public void send(Object message, Duration timeout) {
        send(message); // never waits on the client: writes go straight to the response
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        try {
            send(message);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
