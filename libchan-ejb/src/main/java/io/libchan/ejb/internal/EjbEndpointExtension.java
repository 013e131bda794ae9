package io.libchan.ejb.internal;

import io.libchan.cdi.ChannelEndpoint;
import io.libchan.ejb.TransactionalEndpoint;
import jakarta.ejb.Singleton;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;

/**
 * Gives every {@code @ChannelEndpoint} method of a {@code @Stateless} or {@code @Singleton} session
 * bean the {@link TransactionalEndpoint} binding, so a rolled-back transaction becomes an error
 * reply. The session bean semantics themselves (container-managed transactions, pooling or
 * container-managed concurrency, security) come from the container: the CDI dispatcher of
 * libchan-cdi calls endpoint methods through the bean's contextual reference, on the container's
 * managed executor.
 */
public class EjbEndpointExtension implements Extension {

    <T> void bindSessionBeanEndpoints(@Observes @WithAnnotations(ChannelEndpoint.class) ProcessAnnotatedType<T> type) {
        Class<T> clazz = type.getAnnotatedType().getJavaClass();
        if (!clazz.isAnnotationPresent(Stateless.class) && !clazz.isAnnotationPresent(Singleton.class)) {
            return;
        }
        type.configureAnnotatedType().filterMethods(m -> m.isAnnotationPresent(ChannelEndpoint.class))
                .forEach(m -> m.add(TransactionalEndpoint.Literal.INSTANCE));
    }
}
