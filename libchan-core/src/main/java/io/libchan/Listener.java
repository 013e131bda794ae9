package io.libchan;

import java.net.URI;
import java.time.Duration;

/**
 * A server endpoint that accepts sessions, like a {@code ServerSocket}. Created by
 * {@link Libchan#listen(URI, Settings)}. Each accepted {@link Transport} is one peer's session.
 * Thread-safe; {@link #close()} stops accepting and closes sessions not yet accepted.
 */
public interface Listener extends AutoCloseable {

    /** The address actually bound (a port of 0 in the listen URI shows the real port here). */
    URI uri();

    /**
     * Waits for the next session.
     *
     * @throws ChannelClosedException once the listener is closed
     */
    Transport accept();

    /** As {@link #accept()}, waiting at most {@code timeout}. */
    Transport accept(Duration timeout);

    /**
     * The next session, without parking a thread. The future fails as {@link #accept()} would
     * throw; cancelling it before it completes withdraws the request, so no session is taken for
     * it. Callbacks chained on it may run on an I/O thread: they must not block.
     */
    java.util.concurrent.CompletableFuture<Transport> acceptAsync();

    /** Stops listening. Sessions already accepted stay open. Idempotent; never throws. */
    @Override
    void close();
}
