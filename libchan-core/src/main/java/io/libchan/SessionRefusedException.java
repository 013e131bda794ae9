package io.libchan;

/**
 * The server turned this session away: it did not accept the credentials presented on the session's
 * first channel (the bearer token of {@link Settings#bearerToken()}, the TLS client certificate), or
 * the peer presented none where they are required. The server reset that channel (RST_STREAM
 * REFUSED_STREAM) and then went away having taken nothing (GOAWAY, last-good-stream-id 0), PROTOCOL.md
 * section 4.6: nothing sent on the session reached the server's application. A send on the refused
 * channel and the session's {@link Transport#closeFuture()} fail with it; opening a new session with
 * the same credentials will be refused again.
 */
public class SessionRefusedException extends ChannelClosedException {
    public SessionRefusedException(String message) {
        super(message);
    }

    public SessionRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
