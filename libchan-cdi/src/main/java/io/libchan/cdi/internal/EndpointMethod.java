package io.libchan.cdi.internal;

import io.libchan.Sender;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.inject.spi.Bean;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * A {@link ChannelEndpoint} method of a bean, with its signature checked: {@code ()},
 * {@code (M)} or {@code (M, Sender)}. Immutable.
 */
final class EndpointMethod {
    private final String name;
    private final Bean<?> bean;
    private final Method method;
    private final int annotatedLimit;
    private final Class<?> messageType;
    private final boolean replyParameter;
    private final EndpointAccess access;

    private EndpointMethod(String name, Bean<?> bean, Method method, int annotatedLimit) {
        this.name = name;
        this.bean = bean;
        this.method = method;
        this.annotatedLimit = annotatedLimit;
        Class<?>[] params = method.getParameterTypes();
        this.messageType = params.length == 0 ? null : params[0];
        this.replyParameter = params.length == 2;
        this.access = EndpointAccess.of(method, bean.getBeanClass());
    }

    /** The endpoint of {@code method}, or empty after recording why its signature is unusable. */
    static Optional<EndpointMethod> of(Bean<?> bean, Method method, ChannelEndpoint annotation,
                                       DeploymentProblems problems) {
        String where = describe(method);
        Class<?>[] params = method.getParameterTypes();
        String error = null;
        if (annotation.value().isBlank()) {
            error = UserMessages.blankEndpointName();
        } else if (Modifier.isStatic(method.getModifiers()) || Modifier.isPrivate(method.getModifiers())) {
            error = UserMessages.endpointNotCallable();
        } else if (params.length > 2 || (params.length == 2 && params[1] != Sender.class)) {
            error = UserMessages.badEndpointSignature();
        } else if (annotation.maxConcurrency() < 0) {
            error = UserMessages.negativeMaxConcurrency(annotation.maxConcurrency());
        }
        if (error != null) {
            problems.add(where, error);
            return Optional.empty();
        }
        try {
            method.setAccessible(true);
        } catch (RuntimeException e) {
            problems.add(where, UserMessages.notAccessible(e.getMessage()));
            return Optional.empty();
        }
        return Optional.of(new EndpointMethod(annotation.value(), bean, method, annotation.maxConcurrency()));
    }

    String name() {
        return name;
    }

    Bean<?> bean() {
        return bean;
    }

    Method method() {
        return method;
    }

    /** Who may call it ({@code @RolesAllowed}, {@code @PermitAll}, {@code @DenyAll}). */
    EndpointAccess access() {
        return access;
    }

    /** The annotation's {@code maxConcurrency}: 0 for no limit. */
    int annotatedLimit() {
        return annotatedLimit;
    }

    /** The first parameter's type, or empty for a method without parameters. */
    Optional<Class<?>> messageType() {
        return Optional.ofNullable(messageType);
    }

    /** True for {@code (M, Sender)}. */
    boolean hasReplyParameter() {
        return replyParameter;
    }

    /** True when the method's result is a reply. */
    boolean returnsValue() {
        return method.getReturnType() != void.class && method.getReturnType() != Void.class;
    }

    /** True when the method gets the reply channel itself, so the container must not close it. */
    boolean takesReplyChannel() {
        return replyParameter || ReplyChannels.declaredBy(messageType);
    }

    String describe() {
        return describe(method);
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "()";
    }
}
