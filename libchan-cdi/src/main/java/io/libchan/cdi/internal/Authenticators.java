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

    /** The bean's contextual reference (a client proxy for a normal scope), if there is one. */
    static Optional<PeerAuthenticator> lookUp(BeanManager beanManager) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(PeerAuthenticator.class));
        if (bean == null) {
            return Optional.empty();
        }
        return Optional.of((PeerAuthenticator) beanManager.getReference(bean, PeerAuthenticator.class,
                beanManager.createCreationalContext(bean)));
    }
}
