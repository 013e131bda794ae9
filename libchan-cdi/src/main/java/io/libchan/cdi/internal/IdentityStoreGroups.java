package io.libchan.cdi.internal;

import io.libchan.cdi.PeerAuthenticator;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Without a {@link PeerAuthenticator} of the application, a peer whose TLS client certificate the
 * handshake verified gets its roles from the application's Jakarta Security identity stores, as the
 * container gives a caller authenticated elsewhere its groups: every {@link IdentityStore} bean that
 * provides groups ({@link IdentityStore.ValidationType#PROVIDE_GROUPS}) is asked
 * {@link IdentityStore#getCallerGroups} for the certificate's subject name. A peer without a
 * certificate is refused (no identity store validates a bearer token by itself: that takes a
 * {@link PeerAuthenticator}). Only loaded when the Jakarta Security API is there
 * ({@link Authenticators#securityApi()}). Thread-safe.
 */
final class IdentityStoreGroups implements PeerAuthenticator {
    private final List<IdentityStore> stores;

    private IdentityStoreGroups(List<IdentityStore> stores) {
        this.stores = List.copyOf(stores);
    }

    /** Whether the application has an identity store bean. Call only when {@link Authenticators#securityApi()}. */
    static boolean present(BeanManager beanManager) {
        return !beanManager.getBeans(IdentityStore.class).isEmpty();
    }

    /** The stores' groups for certificate subjects, if the application has any store. Call only when {@link Authenticators#securityApi()}. */
    static Optional<PeerAuthenticator> lookUp(BeanManager beanManager) {
        List<IdentityStore> stores = new ArrayList<>();
        for (Bean<?> bean : beanManager.getBeans(IdentityStore.class)) {
            IdentityStore store = (IdentityStore) beanManager.getReference(bean, IdentityStore.class,
                    beanManager.createCreationalContext(bean));
            if (store.validationTypes().contains(IdentityStore.ValidationType.PROVIDE_GROUPS)) {
                stores.add(store);
            }
        }
        return stores.isEmpty() ? Optional.empty() : Optional.of(new IdentityStoreGroups(stores));
    }

    @Override
    public Optional<Identity> authenticate(Credentials peer) {
        if (peer.certificateSubject().isEmpty()) {
            return Optional.empty();
        }
        CredentialValidationResult caller = new CredentialValidationResult(peer.certificateSubject().get().getName());
        Set<String> groups = new HashSet<>();
        for (IdentityStore store : stores) {
            Set<String> found = store.getCallerGroups(caller);
            if (found != null) {
                groups.addAll(found);
            }
        }
        return Optional.of(new Identity(peer.certificateSubject().get(), groups));
    }
}
