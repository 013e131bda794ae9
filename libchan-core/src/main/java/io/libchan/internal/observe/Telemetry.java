package io.libchan.internal.observe;

import io.libchan.Settings;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Finds where metrics go: {@link Settings#openTelemetry()}, else the OpenTelemetry the application
 * installed globally. The global one is only looked at, never forced into being: asking
 * {@code GlobalOpenTelemetry.get()} before the application calls {@code set} would fix it to a
 * no-op for good, and {@code set} would then fail. Instruments are made once per OpenTelemetry.
 */
public final class Telemetry {
    /** Weak: a test or an application that drops its SDK drops our instruments with it. */
    private static final Map<OpenTelemetry, LibchanMetrics> METRICS = Collections.synchronizedMap(new WeakHashMap<>());

    private Telemetry() {
    }

    /** The instruments for {@code settings}, or null when no metrics are wanted (no SDK, or a no-op). */
    public static LibchanMetrics metrics(Settings settings) {
        OpenTelemetry otel = settings.openTelemetry().orElseGet(Telemetry::global);
        if (otel == OpenTelemetry.noop()) {
            return null;
        }
        return METRICS.computeIfAbsent(otel, LibchanMetrics::new);
    }

    /** As {@link #metrics(Settings)} for code that has no settings at hand (the container adapters). */
    public static LibchanMetrics metrics(OpenTelemetry otel) {
        OpenTelemetry o = otel != null ? otel : global();
        return o == OpenTelemetry.noop() ? null : METRICS.computeIfAbsent(o, LibchanMetrics::new);
    }

    private static OpenTelemetry global() {
        try {
            return GlobalOpenTelemetry.getOrNoop();
        } catch (NoSuchMethodError older) {
            // an OpenTelemetry API older than 1.44 (a container's own) has only get()
            return GlobalOpenTelemetry.get();
        }
    }
}
