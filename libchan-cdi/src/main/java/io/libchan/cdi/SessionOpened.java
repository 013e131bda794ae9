package io.libchan.cdi;

import java.net.URI;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * CDI event fired when a session opens: a remote {@link Channel} connected (or reconnected), or a
 * server accepted a peer. Observers run synchronously on a library thread, with a request context
 * active; an observer's exception is logged and does not affect the session.
 *
 * @param name the channel name ({@link SessionRole#CLIENT}) or the server name ({@link SessionRole#SERVER})
 * @param uri the URI connected to, or the listener's bound URI
 * @param role which side of the session this application is
 * @param peerPrincipal the peer's authenticated identity, if any
 */
public record SessionOpened(String name, URI uri, SessionRole role, Optional<Principal> peerPrincipal) {
    public SessionOpened {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(peerPrincipal, "peerPrincipal");
    }
}
