package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens checked by the server's MicroProfile JWT support, as it checks those of HTTP requests:
 * the {@link JWTParser} bean it gives the application (SmallRye JWT: WildFly's
 * {@code microprofile-jwt-smallrye} subsystem for a deployment that activates MP-JWT, or smallrye-jwt
 * under Weld SE) verifies the token with the application's {@code mp.jwt.verify.*} configuration
 * (signature, issuer, expiry, audience). The session's principal is the token ({@link JsonWebToken},
 * named by its {@code upn}, {@code preferred_username} or {@code sub}), its roles the token's
 * {@code groups}. A token it refuses (expired, badly signed, another issuer) refuses the peer. Loaded
 * only where the API is there ({@link Authenticators#jwtApi()}). Thread-safe.
 */
final class JwtPeers implements PeerAuthenticator {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final JWTParser parser;

    private JwtPeers(JWTParser parser) {
        this.parser = parser;
    }

    /** Whether the application has a {@link JWTParser} bean. */
    static boolean present(BeanManager beanManager) {
        return !beanManager.getBeans(JWTParser.class).isEmpty();
    }

    /** The application's parser, if it has one. */
    static Optional<PeerAuthenticator> lookUp(BeanManager beanManager) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(JWTParser.class));
        if (bean == null) {
            return Optional.empty();
        }
        return Optional.of(new JwtPeers((JWTParser) beanManager.getReference(bean, JWTParser.class,
                beanManager.createCreationalContext(bean))));
    }

    @Override
    public Optional<Identity> authenticate(Credentials peer) {
        if (peer.bearerToken().isEmpty()) {
            return Optional.empty();
        }
        JsonWebToken token;
        try {
            token = parser.parse(peer.bearerToken().get());
        } catch (ParseException e) {
            // the reason (expired, signature, issuer), never the token
            LOG.log(Level.DEBUG, () -> UserMessages.peerRefused(peer.server(), peer.uri(),
                    "its bearer token is not valid: " + e.getMessage()));
            return Optional.empty();
        }
        if (token.getName() == null) {
            return Optional.empty(); // no upn, preferred_username nor sub: nobody to be
        }
        Set<String> groups = token.getGroups();
        return Optional.of(new Identity(token, groups == null ? Set.of() : groups));
    }
}
