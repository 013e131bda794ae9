package io.libchan.cdi.internal;

import io.libchan.internal.observe.LibchanMetrics;
import io.libchan.internal.observe.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Times the calls of one endpoint into {@code libchan.endpoint.duration}: every call of an endpoint,
 * whatever brought it (a server's session, an in-app channel, the REST fallback: its
 * {@code libchan.source}), goes through {@link EndpointInvoker}, which times it here. Layer
 * {@code ejb} for a session bean's endpoint, else {@code cdi}. The OpenTelemetry is the
 * application's CDI bean when there is one (MicroProfile Telemetry provides it), else the global
 * one; looked up at the first call, and again at later ones while there is none. Thread-safe.
 */
final class EndpointTiming {
    private final BeanManager beanManager;
    private final String layer;
    private volatile LibchanMetrics metrics;

    EndpointTiming(BeanManager beanManager, Class<?> beanClass) {
        this.beanManager = beanManager;
        this.layer = isSessionBean(beanClass) ? "ejb" : "cdi";
    }

    /** By name: the EJB API may be absent (CDI in Java SE). */
    private static boolean isSessionBean(Class<?> beanClass) {
        for (java.lang.annotation.Annotation a : beanClass.getAnnotations()) {
            String name = a.annotationType().getName();
            if (name.equals("jakarta.ejb.Stateless") || name.equals("jakarta.ejb.Singleton")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param outcome {@code ok}; {@code error} when the endpoint threw; {@code forbidden} when the
     *                peer lacked a role it needs
     */
    void record(String endpoint, String source, String outcome, long startNanos) {
        LibchanMetrics m = metrics();
        if (m != null) {
            m.endpointCall(layer, source, endpoint, outcome, System.nanoTime() - startNanos);
        }
    }

    private LibchanMetrics metrics() {
        LibchanMetrics m = metrics;
        if (m == null) {
            m = Telemetry.metrics(fromCdi());
            metrics = m;
        }
        return m;
    }

    private OpenTelemetry fromCdi() {
        try {
            Instance<OpenTelemetry> bean = beanManager.createInstance().select(OpenTelemetry.class);
            return bean.isResolvable() ? bean.get() : null;
        } catch (RuntimeException | LinkageError e) {
            return null; // no such bean, or a container that cannot look it up: the global one
        }
    }
}
