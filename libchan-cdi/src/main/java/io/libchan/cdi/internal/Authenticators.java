package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;
import java.util.Set;

/** Finds the application's {@link PeerAuthenticator} bean. */
final class Authenticators {
    private Authenticators() {
    }

    /**
     * Whether the application has one, recording a problem when it has several.
     *
     * @return true when exactly one bean resolves
     */
    static boolean present(BeanManager beanManager, DeploymentProblems problems) {
        Set<Bean<?>> beans = beanManager.getBeans(PeerAuthenticator.class);
        if (beans.isEmpty()) {
            return false;
        }
        try {
            beanManager.resolve(beans);
            return true;
        } catch (AmbiguousResolutionException e) {
            problems.add(PeerAuthenticator.class.getName(), UserMessages.ambiguousAuthenticators(beans));
            return false;
        }
    }

    /**
     * True when the Jakarta Security API can be loaded (an EE server; Java SE only with the API on
     * the class path): {@link IdentityStoreGroups} is not touched otherwise.
     */
    static boolean securityApi() {
        return loadable("jakarta.security.enterprise.identitystore.IdentityStore");
    }

    /** True on WildFly (Elytron's API visible to the deployment): {@link ElytronPeers} is not touched otherwise. */
    static boolean elytronApi() {
        return loadable("org.wildfly.security.auth.server.SecurityDomain");
    }

    /** True where SmallRye JWT's API is visible (a server with MicroProfile JWT): {@link JwtPeers} is not touched otherwise. */
    static boolean jwtApi() {
        return loadable("io.smallrye.jwt.auth.principal.JWTParser") && loadable("org.eclipse.microprofile.jwt.JsonWebToken");
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, Authenticators.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the server checks bearer tokens for the application (its MicroProfile JWT gives it a
     * {@code JWTParser} bean): then a raw listener without client certificates is authenticated too.
     */
    static boolean tokens(BeanManager beanManager) {
        return jwtApi() && JwtPeers.present(beanManager);
    }

    /**
     * Whether the application has a Jakarta Security identity store (with the API present), or runs on
     * WildFly (whose security domain knows the deployment's users), which gives the peers of a listener
     * that needs client certificates their roles when there is no {@link PeerAuthenticator}
     * ({@link IdentityStoreGroups}, {@link ElytronPeers}).
     */
    static boolean identityStores(BeanManager beanManager) {
        return (securityApi() && IdentityStoreGroups.present(beanManager)) || elytronApi();
    }

    /**
     * The application's bean's contextual reference (a client proxy for a normal scope), else what
     * the server offers ({@link ContainerPeers}): its MicroProfile JWT for tokens; its security domain
     * (WildFly's Elytron, looked up for the calling thread's deployment), else the identity stores'
     * groups, for client certificates.
     */
    static Optional<PeerAuthenticator> lookUp(BeanManager beanManager) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(PeerAuthenticator.class));
        if (bean == null) {
            Optional<PeerAuthenticator> tokens = jwtApi() ? JwtPeers.lookUp(beanManager) : Optional.empty();
            Optional<PeerAuthenticator> certificates = elytronApi() ? ElytronPeers.current() : Optional.empty();
            if (certificates.isEmpty() && securityApi()) {
                certificates = IdentityStoreGroups.lookUp(beanManager);
            }
            return ContainerPeers.of(tokens, certificates);
        }
        return Optional.of((PeerAuthenticator) beanManager.getReference(bean, PeerAuthenticator.class,
                beanManager.createCreationalContext(bean)));
    }
}
