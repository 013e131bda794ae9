package io.libchan.cdi.internal;

import io.libchan.Transport;
import io.libchan.internal.transport.ForwardingTransport;
import java.util.Set;

/**
 * A session whose peer also holds {@code roles}, those a {@link io.libchan.cdi.ChannelServers.Route}
 * gave it, besides those the session itself answers ({@link Transport#isPeerInRole}): what the
 * gateway checks a target's roles against. Thread-safe as the session is.
 */
final class PeerRolesTransport extends ForwardingTransport {
    private final Set<String> roles;

    PeerRolesTransport(Transport session, Set<String> roles) {
        super(session);
        this.roles = Set.copyOf(roles);
    }

    @Override
    public boolean isPeerInRole(String role) {
        return role != null && (roles.contains(role) || session.isPeerInRole(role));
    }

    @Override
    public String toString() {
        return session + " with roles " + roles;
    }
}
