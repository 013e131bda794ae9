package io.libchan.internal.json;

import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * The connection under a {@link JsonSession}: whole text frames out, one at a time (the session
 * serialises calls to {@link #send}); frames in are pushed to {@link JsonSession#onFrame}.
 */
public interface JsonWire {

    /**
     * Sends one frame, in order after the frames sent before it: blocking until the connection has
     * taken it, or (a wire that sends asynchronously) only while a bounded backlog of frames waits;
     * a failed asynchronous send is thrown by a later call. Never called from an I/O thread.
     */
    void send(String frame) throws IOException;

    /** Closes the connection; unblocks the reader. Idempotent. */
    void close();

    /**
     * Closes with a WebSocket close {@code code} and short {@code reason} (at most 123 bytes) instead
     * of 1000: 1002 after a protocol error, 1003 for a message of the wrong kind. Idempotent with
     * {@link #close()}: the first close wins.
     */
    default void close(int code, String reason) {
        close();
    }

    default Optional<Principal> peerPrincipal() {
        return Optional.empty();
    }

    /** For logs and errors. */
    String describe();
}
