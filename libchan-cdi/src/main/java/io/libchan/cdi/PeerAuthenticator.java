package io.libchan.cdi;

import java.net.URI;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates the peers of the application's raw listeners ({@code libchan.server.<name>.listen}
 * with a {@code tcp://}, {@code tls://}, {@code unix://}… URI, any but {@code inmem:}), implemented
 * by the application as a CDI bean (one per application; any scope). With such a bean every raw
 * listener that is not {@code libchan.server.<name>.anonymous=true} authenticates each session on
 * the first top-level channel its peer opens: nothing is served before. Without one, a raw listener
 * that is not anonymous fails the deployment.
 *
 * <p>Called once per session on libchan's task executor (it may block: a token introspection, a
 * database), with what the peer presented: the bearer token of its first top-level SYN_STREAM
 * ({@code authorization: Bearer <token>}, PROTOCOL.md section 4.6) and, on a {@code tls://} listener
 * with {@code clientAuth=need} (or {@code want}), the client certificate (its subject, and the chain)
 * the TLS handshake verified against the listener's trust store. The identity returned is the session's:
 * {@link ChannelCall#peerPrincipal()}, {@link ChannelCall#isPeerInRole} and {@code @RolesAllowed}
 * answer with it, as does the session's {@link io.libchan.Transport}. Empty (or an exception)
 * refuses the peer: its first channel is reset with REFUSED_STREAM, GOAWAY follows and the
 * connection is closed; nothing it sent reaches an endpoint, and no {@link SessionOpened} is fired.
 *
 * <pre>
 *   &#64;ApplicationScoped
 *   class Tokens implements PeerAuthenticator {
 *       public Optional&lt;Identity&gt; authenticate(Credentials peer) {
 *           if (peer.certificateSubject().isPresent()) {           // mutual TLS
 *               return Optional.of(Identity.of(peer.certificateSubject().get(), "worker"));
 *           }
 *           return peer.bearerToken().flatMap(tokenStore::lookUp);  // your check: JWT, database…
 *       }
 *   }
 * </pre>
 */
public interface PeerAuthenticator {

    /**
     * @return the peer's identity, or empty to refuse it
     */
    Optional<Identity> authenticate(Credentials peer);

    /**
     * What a peer presented.
     *
     * @param server the {@code libchan.server.<name>} that accepted the session
     * @param uri that server's listen URI
     * @param bearerToken the token of its first top-level channel's {@code authorization: Bearer} header
     * @param certificateSubject the subject of its TLS client certificate, verified by the handshake
     * @param certificateChain that certificate first, then the rest of the chain it presented; empty without one
     */
    record Credentials(String server, URI uri, Optional<String> bearerToken, Optional<Principal> certificateSubject,
                       List<X509Certificate> certificateChain) {
        public Credentials {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(bearerToken, "bearerToken");
            Objects.requireNonNull(certificateSubject, "certificateSubject");
            certificateChain = List.copyOf(certificateChain);
        }

        /** Never shows the token: credentials end up in logs. */
        @Override
        public String toString() {
            return "Credentials[server=" + server + ", bearerToken=" + (bearerToken.isPresent() ? "(given)" : "(none)")
                    + ", certificateSubject=" + certificateSubject.map(Principal::getName).orElse("(none)") + "]";
        }
    }

    /**
     * Who the peer is, for the whole session.
     *
     * @param principal what {@link ChannelCall#peerPrincipal()} reports
     * @param roles what {@link ChannelCall#isPeerInRole} and {@code @RolesAllowed} check against
     */
    record Identity(Principal principal, Set<String> roles) {
        public Identity {
            Objects.requireNonNull(principal, "principal");
            roles = Set.copyOf(roles);
        }

        /** An identity of {@code principal} holding {@code roles}. */
        public static Identity of(Principal principal, String... roles) {
            return new Identity(principal, Set.of(roles));
        }

        /** An identity named {@code name} holding {@code roles}. */
        public static Identity of(String name, String... roles) {
            Objects.requireNonNull(name, "name");
            return of(new NamedPrincipal(name), roles);
        }
    }

    /** A principal that is only a name. */
    record NamedPrincipal(String name) implements Principal {
        public NamedPrincipal {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
