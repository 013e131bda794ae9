package io.libchan;

import java.security.Principal;
import java.time.Duration;
import java.util.Optional;

/**
 * One libchan session with one peer: over a network one connection (or one HTTP/2 stream), in
 * memory a pair of connected objects. Either side may open top-level channels; nested channels
 * and byte streams travel inside messages.
 *
 * <p><b>Lifecycle.</b> Open until {@link #close()} (graceful: no new channels, channels already
 * opened are drained, then GOAWAY) or {@link #abort()} (violent: every channel fails with
 * {@link ConnectionLostException} at once). A connection that breaks also fails every channel with
 * {@link ConnectionLostException}, distinct from a clean close.
 *
 * <p>Thread-safe. {@link #waitReceiveChannel()} blocks (cheap on virtual threads) and may be called
 * from several threads, each channel going to exactly one of them.
 */
public interface Transport extends AutoCloseable {

    /** Opens a new top-level channel to the peer (Go's {@code NewSendChannel}); never blocks on the peer. */
    Sender newSendChannel();

    /**
     * Opens a new top-level channel addressed to the peer's endpoint {@code name}, for listeners
     * that serve several named endpoints (the {@code libchan-channel} header). Peers that do not
     * know names (Go, jschan) treat it as an ordinary channel.
     */
    Sender newSendChannel(String name);

    /**
     * Waits for the next top-level channel the peer opens (Go's {@code WaitReceiveChannel}).
     *
     * @throws ChannelClosedException when the session was closed and no channel is left
     * @throws ConnectionLostException when the connection broke
     */
    Receiver waitReceiveChannel();

    /** As {@link #waitReceiveChannel()}, waiting at most {@code timeout}. */
    Receiver waitReceiveChannel(Duration timeout);

    /**
     * The next top-level channel the peer opens, without parking a thread: a server serves many
     * sessions from a few threads by asking again from the future's callback. The future fails as
     * {@link #waitReceiveChannel()} would throw; cancelling it before it completes withdraws the
     * request, so no channel is taken for it. Callbacks chained on it may run on the connection's
     * I/O thread: they must not block (hand blocking work to an executor).
     */
    java.util.concurrent.CompletableFuture<Receiver> receiveChannelAsync();

    /** The authenticated identity of the peer (a TLS client certificate, an HTTP principal), if any. */
    default Optional<Principal> peerPrincipal() {
        return Optional.empty();
    }

    /**
     * The certificate chain the peer presented in the TLS handshake, verified by it, the peer's own
     * certificate first ({@code tls://} with {@code clientAuth=want|need}); empty otherwise.
     */
    default java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return java.util.List.of();
    }

    /**
     * True when the authentication layer that accepted the session says the peer holds {@code role}:
     * for the HTTP transports of libchan-undertow, {@code isUserInRole} of the authenticated request
     * that opened the session (WebSocket handshake, HTTP/2 tunnel, call), asked once per role. False
     * by default, and for sessions whose peer was not authenticated with roles (TCP, TLS, in-memory).
     */
    default boolean isPeerInRole(String role) {
        return false;
    }

    /**
     * Completes when the session has ended: normally after a clean close (ours or the peer's
     * GOAWAY), exceptionally with {@link ConnectionLostException} or {@link ProtocolException} when it
     * was lost or broken. Never blocks. Every transport of this library implements it; the default,
     * for an implementation of one's own that cannot tell, fails with
     * {@link UnsupportedOperationException}.
     */
    default java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException(getClass().getName() + " does not report its end"));
    }

    /**
     * Who is on the other end (address, transport, dialect) and the session's counters so far; a
     * snapshot, cheap enough to take at any time from any thread. Every transport of this library
     * implements it; the default, for an implementation of one's own, is {@link TransportInfo#unknown()}.
     */
    default TransportInfo info() {
        return TransportInfo.unknown();
    }

    /** False once the session is closed, aborted or lost. */
    boolean isOpen();

    /** Graceful close; returns once the goodbye is sent. Idempotent; never throws. */
    @Override
    void close();

    /** Violent close: every channel of the session fails at once. Idempotent; never throws. */
    void abort();

    /**
     * Turns the peer away before serving anything: {@code first}, a top-level channel the peer
     * opened and nobody read, is reset with {@code REFUSED_STREAM}, the session says GOAWAY and the
     * connection is closed once both went out (PROTOCOL.md section 4.6). For a server that
     * authenticates its peers on their first channel. The default closes {@code first} and aborts.
     */
    default void refuse(Receiver first) {
        first.close();
        abort();
    }
}
