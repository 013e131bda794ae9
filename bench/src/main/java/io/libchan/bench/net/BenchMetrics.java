package io.libchan.bench.net;

import io.libchan.Settings;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code metrics} switch of the libchan benchmarks: {@code off} passes {@code OpenTelemetry.noop()}
 * (no instrument is made), {@code on} an OpenTelemetry SDK whose reader collects every second, as
 * a production exporter would (less often, usually), and drops what it collected.
 */
final class BenchMetrics implements AutoCloseable {
    private final OpenTelemetry otel;
    private final OpenTelemetrySdk sdk; // null when off
    /** Points collected, so the collections are not dead code. */
    static final AtomicLong POINTS = new AtomicLong();

    BenchMetrics(String mode) {
        switch (mode) {
            case "off" -> {
                sdk = null;
                otel = OpenTelemetry.noop();
            }
            case "on" -> {
                sdk = OpenTelemetrySdk.builder().setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(PeriodicMetricReader.builder(new Discarding())
                                .setInterval(Duration.ofSeconds(1)).build())
                        .build()).build();
                otel = sdk;
            }
            default -> throw new IllegalArgumentException("metrics=" + mode + ": off or on");
        }
    }

    Settings settings() {
        return Settings.builder().openTelemetry(otel).build();
    }

    @Override
    public void close() {
        if (sdk != null) {
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
