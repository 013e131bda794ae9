package io.libchan.undertow.internal.server;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A session opened by an authenticated HTTP request: the session itself, plus the request's role
 * check behind {@link #isPeerInRole}. Each role is asked on first use, from any thread, and the answer
 * kept. For a WebSocket that is after the handshake's exchange ended: the check reads the
 * authenticated account, which outlives it ({@code isUserInRole} of Undertow's servlet request, or the
 * account's roles). Thread-safe.
 */
final class AuthenticatedTransport implements Transport {
    private final Transport session;
    private final Predicate<String> check;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    AuthenticatedTransport(Transport session, Predicate<String> check) {
        this.session = session;
        this.check = check;
    }

    @Override
    public boolean isPeerInRole(String role) {
        return role != null && answers.computeIfAbsent(role, check::test);
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
    public String toString() {
        return session.toString();
    }
}
