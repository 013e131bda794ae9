package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import java.util.Optional;

/**
 * Without a {@link PeerAuthenticator} of the application, what the server itself offers: a peer with
 * a bearer token is checked by its MicroProfile JWT support ({@link JwtPeers}), a peer with a TLS
 * client certificate by its security domain ({@link ElytronPeers} on WildFly) or the application's
 * Jakarta Security identity stores ({@link IdentityStoreGroups}). A token is checked first: a peer
 * presenting both is who its token says. A credential nothing here can check refuses the peer.
 * Thread-safe.
 */
final class ContainerPeers implements PeerAuthenticator {
    private final Optional<PeerAuthenticator> tokens;
    private final Optional<PeerAuthenticator> certificates;

    ContainerPeers(Optional<PeerAuthenticator> tokens, Optional<PeerAuthenticator> certificates) {
        this.tokens = tokens;
        this.certificates = certificates;
    }

    /** Empty when the server offers neither. */
    static Optional<PeerAuthenticator> of(Optional<PeerAuthenticator> tokens, Optional<PeerAuthenticator> certificates) {
        return tokens.isEmpty() && certificates.isEmpty() ? Optional.empty() : Optional.of(new ContainerPeers(tokens, certificates));
    }

    @Override
    public Optional<Identity> authenticate(Credentials peer) {
        if (peer.bearerToken().isPresent()) {
            return tokens.flatMap(t -> t.authenticate(peer));
        }
        if (peer.certificateSubject().isPresent()) {
            return certificates.flatMap(c -> c.authenticate(peer));
        }
        return Optional.empty();
    }
}
