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

    /**
     * What a health check reads ({@link ListenerState}): open, accepting, connections against the
     * limit, sessions stuck in their drain. Never blocks; cheap enough to call on every probe.
     * Empty for listeners that cannot tell (in memory, an implementation of one's own).
     */
    default java.util.Optional<ListenerState> state() {
        return java.util.Optional.empty();
    }

    /** Stops listening. Sessions already accepted stay open. Idempotent; never throws. */
    @Override
    void close();
}
