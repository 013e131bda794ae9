package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks the application's {@link PeerAuthenticator} bean about a peer, looked up on first use; a
 * null answer or an exception refuses the peer (logged, without the credentials' secrets).
 * Thread-safe.
 */
final class PeerCheck {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final Supplier<Optional<PeerAuthenticator>> lookUp;
    private volatile PeerAuthenticator authenticator;

    /** @param lookUp the application's bean, if it has one */
    PeerCheck(Supplier<Optional<PeerAuthenticator>> lookUp) {
        this.lookUp = lookUp;
    }

    /** The identity the application gives {@code peer}, or empty to refuse it. May block (application code). */
    Optional<PeerAuthenticator.Identity> authenticate(PeerAuthenticator.Credentials peer) {
        try {
            PeerAuthenticator a = authenticator;
            if (a == null) {
                Optional<PeerAuthenticator> found = lookUp.get();
                if (found.isEmpty()) {
                    return Optional.empty(); // validation makes this unreachable for a raw listener that authenticates
                }
                a = found.get();
                authenticator = a;
            }
            Optional<PeerAuthenticator.Identity> who = a.authenticate(peer);
            return who == null ? Optional.empty() : who;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> UserMessages.peerRefused(peer.server(), peer.uri(),
                    "the PeerAuthenticator failed: " + e), e);
            return Optional.empty();
        }
    }
}
