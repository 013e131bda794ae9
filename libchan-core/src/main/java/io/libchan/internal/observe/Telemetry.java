package io.libchan.internal.observe;

import io.libchan.Settings;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Finds where metrics go: {@link Settings#openTelemetry()}, else the running application's own
 * OpenTelemetry when libchan-cdi found one ({@link #useApplications}), else the OpenTelemetry the
 * application installed globally. The global one is only looked at, never forced into being: asking
 * {@code GlobalOpenTelemetry.get()} before the application calls {@code set} would fix it to a
 * no-op for good, and {@code set} would then fail. Instruments are made once per OpenTelemetry.
 */
public final class Telemetry {
    /** Weak: a test or an application that drops its SDK drops our instruments with it. */
    private static final Map<OpenTelemetry, LibchanMetrics> METRICS = Collections.synchronizedMap(new WeakHashMap<>());
    /**
     * The application's own OpenTelemetry (its CDI bean), for sessions whose settings name none. A
     * static of this class, so one per copy of libchan-core: per deployment on WildFly, where each
     * WAR carries its own.
     */
    private static final AtomicReference<OpenTelemetry> APPLICATION = new AtomicReference<>();

    private Telemetry() {
    }

    /**
     * The instruments for {@code settings}, or null when no metrics are wanted: no SDK (or a no-op
     * one) and no {@link MetricTap} listener. With a listener and no SDK, the instruments of the no-op
     * OpenTelemetry: the sessions count for the listener only.
     */
    public static LibchanMetrics metrics(Settings settings) {
        return metricsOf(settings.openTelemetry().orElseGet(Telemetry::unnamed));
    }

    /** As {@link #metrics(Settings)} for code that has no settings at hand (the container adapters). */
    public static LibchanMetrics metrics(OpenTelemetry otel) {
        return metricsOf(otel != null ? otel : unnamed());
    }

    private static LibchanMetrics metricsOf(OpenTelemetry otel) {
        if (otel == OpenTelemetry.noop() && !MetricTap.attached()) {
            return null;
        }
        return METRICS.computeIfAbsent(otel, LibchanMetrics::new);
    }

    /** Every OpenTelemetry's instruments now, for {@link Series#value()}. */
    static java.util.List<LibchanMetrics> instances() {
        synchronized (METRICS) {
            return java.util.List.copyOf(METRICS.values());
        }
    }

    /**
     * From now on, sessions whose settings name no OpenTelemetry count into {@code otel}, the running
     * application's own: libchan-cdi's, once it found the application's bean. On WildFly that is
     * how the sessions of libchan-undertow's mount and of the JAX-RS fallback, whose settings are
     * made before CDI runs, reach the deployment's MicroProfile Telemetry (which leaves the global
     * one unset).
     */
    public static void useApplications(OpenTelemetry otel) {
        APPLICATION.set(otel);
    }

    /** The application that gave {@code otel} stops: sessions starting later go to the global one again. */
    public static void stopUsingApplications(OpenTelemetry otel) {
        APPLICATION.compareAndSet(otel, null);
    }

    private static OpenTelemetry unnamed() {
        OpenTelemetry application = APPLICATION.get();
        return application != null ? application : global();
    }

    /**
     * The global OpenTelemetry, never forced into being ({@code getOrNoop}). On an API without
     * {@code getOrNoop} (a container's own: WildFly 38 gives its deployments 1.48) it is not looked
     * at, and the no-op one is returned: there {@code get()} would fix the global one to a no-op for
     * every deployment of the server, and an application calling {@code set} later would fail. The
     * application's OpenTelemetry then comes from {@link Settings#openTelemetry()} (libchan-cdi gives
     * it the deployment's bean).
     */
    public static OpenTelemetry global() {
        return globalOrNoop(() -> GlobalOpenTelemetry.getOrNoop());
    }

    /** {@link #global()} with the API's {@code getOrNoop} given, so that an older API can be played. */
    static OpenTelemetry globalOrNoop(Supplier<OpenTelemetry> getOrNoop) {
        try {
            return getOrNoop.get();
        } catch (NoSuchMethodError older) {
            return OpenTelemetry.noop();
        }
    }
}
