package io.libchan.undertow.internal.server;

import io.libchan.Transport;
import io.libchan.internal.transport.ForwardingTransport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A session opened by an authenticated HTTP request: the session itself, plus the request's role
 * check behind {@link #isPeerInRole}. Each role is asked on first use, from any thread, and the answer
 * kept. For a WebSocket that is after the handshake's exchange ended: the check reads the
 * authenticated account, which outlives it ({@code isUserInRole} of Undertow's servlet request, or the
 * account's roles). Thread-safe.
 */
final class AuthenticatedTransport extends ForwardingTransport {
    private final Predicate<String> check;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    AuthenticatedTransport(Transport session, Predicate<String> check) {
        super(session);
        this.check = check;
    }

    @Override
    public boolean isPeerInRole(String role) {
        return role != null && answers.computeIfAbsent(role, check::test);
    }
}
