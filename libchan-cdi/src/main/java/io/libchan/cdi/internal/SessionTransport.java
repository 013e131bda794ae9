package io.libchan.cdi.internal;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;

/**
 * The injected {@link Transport} of a remote channel: the channel's current {@link ClientSession}
 * session, connecting on first use and reconnecting after a loss (while it is down, opening a
 * channel fails at once with {@link io.libchan.ConnectionLostException}). Receiving returns the
 * top-level channels the peer opens, on this or later sessions, that no endpoint serves.
 * {@link #close()} and {@link #abort()} end the current session; the next use connects again.
 * {@link #closeFuture()} is the end of the session current when it is called (after a reconnect,
 * ask again). Thread-safe.
 */
final class SessionTransport implements Transport {
    private final ClientSession session;

    SessionTransport(ClientSession session) {
        this.session = session;
    }

    @Override
    public Sender newSendChannel() {
        return session.openChannel(session.transport(), Optional.empty());
    }

    @Override
    public Sender newSendChannel(String name) {
        return session.openChannel(session.transport(), Optional.of(name));
    }

    @Override
    public Receiver waitReceiveChannel() {
        return session.waitReceiveChannel(Optional.empty());
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return session.waitReceiveChannel(Optional.of(timeout));
    }

    @Override
    public java.util.concurrent.CompletableFuture<Receiver> receiveChannelAsync() {
        return session.receiveChannelAsync();
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return session.peerPrincipal();
    }

    /** The current session's, without connecting (after a reconnect the counters start again). */
    @Override
    public io.libchan.TransportInfo info() {
        return session.info();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return session.sessionEnd();
    }

    @Override
    public boolean isOpen() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.endSession(false);
    }

    @Override
    public void abort() {
        session.endSession(true);
    }

    @Override
    public String toString() {
        return "Transport[@Channel(\"" + session.name() + "\")]";
    }
}
