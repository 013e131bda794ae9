package io.libchan.demo.embedded;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's OpenTelemetry SDK, installed as the global one so that whatever the libraries register
 * through the OpenTelemetry API (libchan's {@code libchan.*} instruments, the endpoint spans of
 * libchan-cdi) lands here, read by a Prometheus reader for {@code /metrics} ({@link MetricsHandler}).
 *
 * <p>Why the OpenTelemetry SDK and its Prometheus reader rather than Micrometer's registry behind
 * its OpenTelemetry bridge: libchan speaks the OpenTelemetry API, as MicroProfile Telemetry (what
 * WildFly gives the WAR) does; the SDK reads those instruments directly, with OpenTelemetry's own
 * names and units, where the bridge would add a second metrics model and a translation between them.
 *
 * <p>Beside the libraries' instruments it keeps a few of its own, so {@code /metrics} always says
 * something: {@code libchan.demo.sessions.open} (the application's server sessions, from libchan-cdi's
 * session events), {@code libchan.demo.calls} (endpoint calls by endpoint and outcome, counted from
 * the endpoint spans as they end), and the JVM's heap and thread count. One per JVM, since the
 * global OpenTelemetry can be set once: {@link #get()}. Thread-safe.
 */
final class DemoTelemetry {
    private static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("libchan.endpoint");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("libchan.outcome");
    private static final String ENDPOINT_SPAN = "libchan.endpoint ";
    private static DemoTelemetry instance;

    private final PrometheusMetricReader prometheus = PrometheusMetricReader.builder().build();
    private final AtomicLong openSessions = new AtomicLong();
    private final boolean global;

    private DemoTelemetry() {
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "libchan-demo"))))
                .registerMetricReader(prometheus).build();
        Meter meter = meters.get("io.libchan.demo");
        LongCounter calls = meter.counterBuilder("libchan.demo.calls").setUnit("{call}")
                .setDescription("Endpoint calls served, by endpoint and outcome (ok, error)").build();
        SdkTracerProvider traces = SdkTracerProvider.builder().addSpanProcessor(new CallCounter(calls)).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meters).setTracerProvider(traces).build();
        meter.upDownCounterBuilder("libchan.demo.sessions.open").setUnit("{session}")
                .setDescription("Sessions the application's servers serve now").buildWithCallback(m -> m.record(openSessions.get()));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        meter.upDownCounterBuilder("jvm.memory.used").setUnit("By").setDescription("Heap in use")
                .buildWithCallback(m -> m.record(memory.getHeapMemoryUsage().getUsed(),
                        Attributes.of(AttributeKey.stringKey("jvm.memory.type"), "heap")));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        meter.upDownCounterBuilder("jvm.thread.count").setUnit("{thread}").setDescription("Live threads")
                .buildWithCallback(m -> m.record(threads.getThreadCount()));
        this.global = install(sdk);
    }

    /** The demo's telemetry, created (and made the global OpenTelemetry) by the first call. */
    static synchronized DemoTelemetry get() {
        if (instance == null) {
            instance = new DemoTelemetry();
        }
        return instance;
    }

    private static boolean install(OpenTelemetrySdk sdk) {
        try {
            GlobalOpenTelemetry.set(sdk);
            return true;
        } catch (IllegalStateException alreadySet) {
            return false; // the host application has its own: ours then shows the demo's instruments only
        }
    }

    /** True when the libraries' instruments come here: this SDK is the global OpenTelemetry. */
    boolean isGlobal() {
        return global;
    }

    /** Every metric now, for the Prometheus text format. */
    MetricSnapshots collect() {
        return prometheus.collect();
    }

    void sessionOpened() {
        openSessions.incrementAndGet();
    }

    void sessionClosed() {
        openSessions.decrementAndGet();
    }

    /** Counts the endpoint spans of libchan-cdi as they end. */
    private static final class CallCounter implements SpanProcessor {
        private final LongCounter calls;

        CallCounter(LongCounter calls) {
            this.calls = calls;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            if (span.getName().startsWith(ENDPOINT_SPAN)) {
                boolean failed = span.toSpanData().getStatus().getStatusCode() == StatusCode.ERROR;
                calls.add(1, Attributes.of(ENDPOINT, span.getName().substring(ENDPOINT_SPAN.length()),
                        OUTCOME, failed ? "error" : "ok"));
            }
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }
}
