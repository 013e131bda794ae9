package io.libchan.cdi.internal;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who may call an endpoint, from the Jakarta security annotations as an EJB container reads them: on
 * the method, else on the bean class; {@code @RolesAllowed} (any of the roles), {@code @PermitAll}
 * (anyone, the default) or {@code @DenyAll} (nobody). Roles are checked against the roles the session
 * was accepted with ({@link CallInfo#isPeerInRole}). Immutable.
 */
final class EndpointAccess {
    private static final EndpointAccess ANYONE = new EndpointAccess(null);

    /** null: anyone; empty: nobody. */
    private final SortedSet<String> roles;

    private EndpointAccess(SortedSet<String> roles) {
        this.roles = roles;
    }

    static EndpointAccess of(Method method, Class<?> beanClass) {
        return annotated(method).or(() -> annotated(beanClass)).orElse(ANYONE);
    }

    private static Optional<EndpointAccess> annotated(java.lang.reflect.AnnotatedElement element) {
        if (element.isAnnotationPresent(DenyAll.class)) {
            return Optional.of(new EndpointAccess(new TreeSet<>()));
        }
        RolesAllowed allowed = element.getAnnotation(RolesAllowed.class);
        if (allowed != null) {
            return Optional.of(new EndpointAccess(new TreeSet<>(Set.of(allowed.value()))));
        }
        return element.isAnnotationPresent(PermitAll.class) ? Optional.of(ANYONE) : Optional.empty();
    }

    boolean allows(CallInfo call) {
        return allows(call::isPeerInRole);
    }

    /** True when a peer holding the roles {@code holds} accepts may call it. */
    boolean allows(java.util.function.Predicate<String> holds) {
        return roles == null || roles.stream().anyMatch(holds);
    }

    /** True when anyone may call it: no {@code @RolesAllowed} nor {@code @DenyAll}. */
    boolean anyone() {
        return roles == null;
    }

    /** The roles named, none for {@code @PermitAll} or no annotation. */
    SortedSet<String> roles() {
        return roles == null ? new TreeSet<>() : roles;
    }

    /** Why {@link #allows} said no, for the error reply. */
    String refusal(String endpoint) {
        return roles.isEmpty() ? UserMessages.endpointDenied(endpoint) : UserMessages.roleMissing(endpoint, roles);
    }
}
