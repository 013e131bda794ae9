package io.libchan.cdi.internal;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.cdi.PeerAuthenticator;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A raw listener's session whose peer the application's {@link PeerAuthenticator} identified: it
 * answers {@link #peerPrincipal()} and {@link #isPeerInRole} with that identity, everything else is
 * the session's. Thread-safe as the session is.
 */
final class IdentifiedTransport implements Transport {
    private final Transport session;
    private final PeerAuthenticator.Identity identity;

    IdentifiedTransport(Transport session, PeerAuthenticator.Identity identity) {
        this.session = session;
        this.identity = identity;
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return Optional.of(identity.principal());
    }

    @Override
    public boolean isPeerInRole(String role) {
        return role != null && identity.roles().contains(role);
    }

    @Override
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return session.peerCertificates();
    }

    @Override
    public Sender newSendChannel() {
        return session.newSendChannel();
    }

    @Override
    public Sender newSendChannel(String name) {
        return session.newSendChannel(name);
    }

    @Override
    public Receiver waitReceiveChannel() {
        return session.waitReceiveChannel();
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return session.waitReceiveChannel(timeout);
    }

    @Override
    public CompletableFuture<Receiver> receiveChannelAsync() {
        return session.receiveChannelAsync();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return session.closeFuture();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public void abort() {
        session.abort();
    }

    @Override
    public void refuse(Receiver first) {
        session.refuse(first);
    }

    @Override
    public String toString() {
        return session + " as " + identity.principal().getName();
    }
}
