package io.libchan.internal.transport;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transport} that hands every call to another session; subclasses change what they add
 * (who the peer is, its roles). Thread-safe as the session is.
 */
public abstract class ForwardingTransport implements Transport {
    protected final Transport session;

    protected ForwardingTransport(Transport session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /** The session every call goes to. */
    public Transport delegate() {
        return session;
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
    public Optional<Principal> peerPrincipal() {
        return session.peerPrincipal();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return session.peerCertificates();
    }

    @Override
    public boolean isPeerInRole(String role) {
        return session.isPeerInRole(role);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return session.closeFuture();
    }

    @Override
    public io.libchan.TransportInfo info() {
        return session.info();
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
        return session.toString();
    }
}
