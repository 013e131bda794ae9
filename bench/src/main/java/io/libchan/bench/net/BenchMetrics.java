package io.libchan.bench.net;

import io.libchan.Settings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code metrics} switch of the libchan benchmarks: {@code off} passes {@code OpenTelemetry.noop()}
 * (no instrument is made, no trace context), {@code on} an OpenTelemetry SDK whose reader collects
 * every second, as a production exporter would (less often, usually), and drops what it collected;
 * with it tracing is on too: the benchmark's calls run inside a sampled span ({@link #enter()}), so
 * every channel the client opens carries {@code traceparent} (PROTOCOL.md section 8) and the server
 * keeps it, as in an application whose requests are traced.
 */
final class BenchMetrics implements AutoCloseable {
    private final OpenTelemetry otel;
    private final OpenTelemetrySdk sdk; // null when off
    private final Span span; // null when off
    /** Points collected, so the collections are not dead code. */
    static final AtomicLong POINTS = new AtomicLong();

    BenchMetrics(String mode) {
        switch (mode) {
            case "off" -> {
                sdk = null;
                span = null;
                otel = OpenTelemetry.noop();
            }
            case "on", "metrics", "trace" -> {
                // "metrics" and "trace" (MetricsCost only) take one half of "on", to tell their costs apart
                var builder = OpenTelemetrySdk.builder();
                if (!mode.equals("trace")) {
                    builder.setMeterProvider(SdkMeterProvider.builder()
                            .registerMetricReader(PeriodicMetricReader.builder(new Discarding())
                                    .setInterval(Duration.ofSeconds(1)).build())
                            .build());
                }
                builder.setTracerProvider(SdkTracerProvider.builder().build());
                sdk = builder.build();
                otel = sdk;
                span = mode.equals("metrics") ? null : sdk.getTracer("libchan-bench").spanBuilder("bench").startSpan();
            }
            default -> throw new IllegalArgumentException("metrics=" + mode + ": off or on (or metrics, trace)");
        }
    }

    /**
     * Makes the benchmark's span current on the calling thread until the scope is closed (nothing
     * when off): what a traced application's request thread looks like to libchan.
     */
    Scope enter() {
        return span == null ? Scope.noop() : span.makeCurrent();
    }

    Settings settings() {
        return Settings.builder().openTelemetry(otel).build();
    }

    @Override
    public void close() {
        if (sdk != null) {
            if (span != null) {
                span.end();
            }
            sdk.close();
        }
    }

    private static final class Discarding implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            POINTS.addAndGet(metrics.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public MemoryMode getMemoryMode() {
            return MemoryMode.REUSABLE_DATA;
        }
    }
}
