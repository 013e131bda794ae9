package io.libchan.cdi.internal;

import io.libchan.ErrorReply;
import io.libchan.Sender;
import io.libchan.cdi.EndpointForbiddenException;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Calls one endpoint method for one message and answers on the message's reply channel: the
 * return value, or {@link ErrorReply#of(Throwable)} for an exception, then closes it. A failure
 * with no reply channel to report it on is logged, never dropped silently. Each call runs with a
 * request context active and {@link CurrentCall} set; a {@code @Dependent} endpoint bean is created
 * for the call and destroyed after it. A peer without a role the endpoint's {@code @RolesAllowed}
 * names gets an {@link EndpointForbiddenException} error reply instead ({@link EndpointAccess}). Thread-safe; blocks the calling thread for the call only.
 */
final class EndpointInvoker implements MessageHandler {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final EndpointMethod endpoint;
    private final BeanManager beanManager;
    private final RequestScopes scopes;
    private final boolean shared;
    private volatile Object sharedReference;
    private final EndpointTiming timing;

    EndpointInvoker(EndpointMethod endpoint, BeanManager beanManager, RequestScopes scopes) {
        this.endpoint = endpoint;
        this.beanManager = beanManager;
        this.scopes = scopes;
        this.timing = new EndpointTiming(beanManager, endpoint.bean().getBeanClass());
        Class<? extends Annotation> scope = endpoint.bean().getScope();
        this.shared = beanManager.isNormalScope(scope) || scope == Singleton.class;
    }

    /** Handles {@code message}; never throws. */
    @Override
    public void handle(Object message, CallInfo call) {
        long start = System.nanoTime();
        Optional<Sender> reply = ReplyChannels.of(message);
        if (!endpoint.access().allows(call)) {
            timing.record(endpoint.name(), call.source(), "forbidden", start);
            fail(new EndpointForbiddenException(endpoint.access().refusal(endpoint.name())), reply, call);
            return;
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        try {
            scopes.run(() -> CurrentCall.runAs(call, () -> {
                try {
                    result[0] = callMethod(message, reply);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }));
        } catch (RuntimeException e) {
            failure[0] = e;
        }
        timing.record(endpoint.name(), call.source(), failure[0] == null ? "ok" : "error", start); // the call, not the reply's sending
        if (failure[0] != null) {
            fail(failure[0], reply, call);
        } else {
            succeed(result[0], reply);
        }
    }

    private Object callMethod(Object message, Optional<Sender> reply) throws Throwable {
        Object[] args = arguments(message, reply);
        CreationalContext<?> context = null;
        try {
            Object target;
            if (shared) {
                target = sharedReference();
            } else {
                context = beanManager.createCreationalContext(endpoint.bean());
                target = reference(context);
            }
            return endpoint.method().invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (context != null) {
                context.release();
            }
        }
    }

    private Object[] arguments(Object message, Optional<Sender> reply) {
        Optional<Class<?>> type = endpoint.messageType();
        if (type.isEmpty()) {
            return new Object[0];
        }
        Object converted = MessageConversion.convert(message, type.get());
        return endpoint.hasReplyParameter() ? new Object[] {converted, reply.orElse(null)} : new Object[] {converted};
    }

    private Object sharedReference() {
        Object ref = sharedReference;
        if (ref == null) {
            ref = reference(beanManager.createCreationalContext(endpoint.bean()));
            sharedReference = ref;
        }
        return ref;
    }

    private Object reference(CreationalContext<?> context) {
        Bean<?> bean = endpoint.bean();
        Type type = bean.getTypes().contains(bean.getBeanClass()) ? bean.getBeanClass() : Object.class;
        return beanManager.getReference(bean, type, context);
    }

    private void succeed(Object result, Optional<Sender> reply) {
        if (endpoint.returnsValue()) {
            if (reply.isPresent()) {
                if (result != null) {
                    Replies.sendThenClose(reply.get(), result, endpoint.name());
                } else {
                    reply.get().close();
                }
            } else if (result != null) {
                LOG.log(Level.DEBUG, () -> UserMessages.resultWithoutReplyChannel(endpoint.name()));
            }
        } else if (!endpoint.takesReplyChannel()) {
            reply.ifPresent(Sender::close);
        }
    }

    private void fail(Throwable error, Optional<Sender> reply, CallInfo call) {
        EndpointSpan.failed(error); // the current span is the call's (TracedEndpoint)
        if (reply.isPresent()) {
            LOG.log(Level.DEBUG, () -> UserMessages.endpointFailed(endpoint.name(), call.source()), error);
            Replies.sendThenClose(reply.get(), ErrorReply.of(error), endpoint.name());
        } else {
            LOG.log(Level.WARNING, () -> UserMessages.endpointFailedWithoutReplyChannel(endpoint.name(), call.source()),
                    error);
        }
    }
}
