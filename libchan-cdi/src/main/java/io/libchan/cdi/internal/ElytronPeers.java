package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import java.security.Principal;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.wildfly.security.auth.server.RealmUnavailableException;
import org.wildfly.security.auth.server.SecurityDomain;
import org.wildfly.security.auth.server.SecurityIdentity;
import org.wildfly.security.auth.server.ServerAuthenticationContext;

/**
 * On WildFly, a peer whose TLS client certificate the handshake verified (against the listener's trust
 * store) is looked up in the deployment's own Elytron security domain, as the container does for a
 * caller its {@code CLIENT_CERT} login let in: the identity named by the certificate subject's common
 * name ({@code CN=worker-1} is {@code worker-1}, the default of Elytron's
 * {@code x500-attribute-principal-decoder}; the whole subject when it has no CN) must exist in the
 * domain's realm and be allowed to log in; its roles are the domain's (with the default
 * {@code ApplicationDomain}: the groups of {@code application-roles.properties}). A peer without a
 * certificate, or one the domain does not know, is refused. Loaded only where the Elytron API is
 * there ({@link Authenticators#elytronApi()}). Thread-safe.
 */
final class ElytronPeers implements PeerAuthenticator {
    private final SecurityDomain domain;

    private ElytronPeers(SecurityDomain domain) {
        this.domain = domain;
    }

    /**
     * The security domain of the deployment whose class loader is the calling thread's context class
     * loader (a container-managed thread of the application), if WildFly gave it one.
     */
    static Optional<PeerAuthenticator> current() {
        SecurityDomain domain = SecurityDomain.getCurrent();
        return domain == null ? Optional.empty() : Optional.of(new ElytronPeers(domain));
    }

    @Override
    public Optional<Identity> authenticate(Credentials peer) {
        if (peer.certificateSubject().isEmpty()) {
            return Optional.empty();
        }
        String name = commonName(peer.certificateSubject().get());
        try (ServerAuthenticationContext login = domain.createNewAuthenticationContext()) {
            login.setAuthenticationName(name);
            // the TLS handshake verified the certificate: the domain is asked who it is, not to check it again
            if (!login.exists() || !login.authorize()) {
                return Optional.empty();
            }
            SecurityIdentity identity = login.getAuthorizedIdentity();
            Set<String> roles = new HashSet<>();
            identity.getRoles().forEach(roles::add);
            return Optional.of(new Identity(identity.getPrincipal(), roles));
        } catch (RealmUnavailableException e) {
            throw new IllegalStateException("the security domain's realm is unavailable: " + e.getMessage(), e);
        }
    }

    /** The subject's CN, else the whole subject. */
    static String commonName(Principal subject) {
        try {
            for (Rdn rdn : new LdapName(subject.getName()).getRdns()) {
                if (rdn.getType().toUpperCase(Locale.ROOT).equals("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // not an X.500 name: the whole of it
        }
        return subject.getName();
    }
}
