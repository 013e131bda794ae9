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
        try {
            Class.forName("jakarta.security.enterprise.identitystore.IdentityStore", false, Authenticators.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the application has a Jakarta Security identity store (with the API present), which
     * gives the peers of a listener that needs client certificates their roles when there is no
     * {@link PeerAuthenticator} ({@link IdentityStoreGroups}).
     */
    static boolean identityStores(BeanManager beanManager) {
        return securityApi() && IdentityStoreGroups.present(beanManager);
    }

    /**
     * The application's bean's contextual reference (a client proxy for a normal scope), else the
     * identity stores' groups for client certificates, if either is there.
     */
    static Optional<PeerAuthenticator> lookUp(BeanManager beanManager) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(PeerAuthenticator.class));
        if (bean == null) {
            return securityApi() ? IdentityStoreGroups.lookUp(beanManager) : Optional.empty();
        }
        return Optional.of((PeerAuthenticator) beanManager.getReference(bean, PeerAuthenticator.class,
                beanManager.createCreationalContext(bean)));
    }
}
