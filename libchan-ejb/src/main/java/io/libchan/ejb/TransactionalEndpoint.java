package io.libchan.ejb;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the {@link RolledBackInterceptor} to a channel endpoint running in a container-managed
 * transaction. Added for you to every {@code @ChannelEndpoint} method of a {@code @Stateless} or
 * {@code @Singleton} session bean; put it on other transactional endpoints (e.g. CDI beans with
 * {@code @Transactional}) by hand.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface TransactionalEndpoint {
    /** The annotation instance, for extensions that add the binding. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<TransactionalEndpoint> implements TransactionalEndpoint {
        public static final Literal INSTANCE = new Literal();
        private static final long serialVersionUID = 1L;
    }
}
