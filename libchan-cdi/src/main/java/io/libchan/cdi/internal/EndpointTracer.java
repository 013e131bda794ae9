package io.libchan.cdi.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Set;

/**
 * Where the endpoint spans of one application go ({@link EndpointSpan}): the application's
 * {@link OpenTelemetry} bean when it has one, else the global OpenTelemetry. MicroProfile Telemetry
 * (WildFly's {@code microprofile-telemetry} subsystem) gives each deployment an {@code OpenTelemetry}
 * bean of its own and leaves the global one alone; in Java SE an application installs its SDK as
 * the global one. The bean is looked up at the first call, once the container runs. Thread-safe.
 */
final class EndpointTracer {
    private final BeanManager beans;
    private volatile boolean lookedUp;
    private volatile OpenTelemetry application; // the bean; null when there is none

    EndpointTracer(BeanManager beans) {
        this.beans = beans;
    }

    /** The tracer for endpoint spans, or null when tracing is off (the no-op OpenTelemetry: no SDK anywhere). */
    Tracer tracer() {
        OpenTelemetry own = application();
        OpenTelemetry otel = own != null ? own : io.libchan.internal.observe.Telemetry.global();
        return otel == OpenTelemetry.noop() ? null : otel.getTracer(EndpointSpan.INSTRUMENTATION);
    }

    /**
     * The application's own {@link OpenTelemetry} bean, or null when it has none (looked up at the
     * first call). Its sessions' metrics go there too ({@link LibchanExecutors#forSessions}).
     */
    OpenTelemetry application() {
        if (!lookedUp) {
            application = lookUp();
            lookedUp = true;
        }
        return application;
    }

    private OpenTelemetry lookUp() {
        try {
            Set<Bean<?>> found = beans.getBeans(OpenTelemetry.class);
            if (found.isEmpty()) {
                return null;
            }
            Bean<?> bean = beans.resolve(found);
            return bean == null ? null
                    : (OpenTelemetry) beans.getReference(bean, OpenTelemetry.class, beans.createCreationalContext(bean));
        } catch (RuntimeException e) {
            return null; // ambiguous or broken: the global one then
        }
    }
}
