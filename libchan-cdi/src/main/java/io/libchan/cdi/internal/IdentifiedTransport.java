package io.libchan.cdi.internal;

import io.libchan.Transport;
import io.libchan.cdi.PeerAuthenticator;
import io.libchan.internal.transport.ForwardingTransport;
import java.security.Principal;
import java.util.Optional;

/**
 * A raw listener's session whose peer the application's {@link PeerAuthenticator} identified: it
 * answers {@link #peerPrincipal()} and {@link #isPeerInRole} with that identity, everything else is
 * the session's. Thread-safe as the session is.
 */
final class IdentifiedTransport extends ForwardingTransport {
    private final PeerAuthenticator.Identity identity;

    IdentifiedTransport(Transport session, PeerAuthenticator.Identity identity) {
        super(session);
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
    public String toString() {
        return session + " as " + identity.principal().getName();
    }
}
