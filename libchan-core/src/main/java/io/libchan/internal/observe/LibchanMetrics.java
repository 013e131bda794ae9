package io.libchan.internal.observe;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code libchan.*} instruments of one OpenTelemetry (README.md, "Metrics", lists them).
 * Counts that change on every message or frame are kept by the sessions themselves
 * ({@link SessionObservation}) and read here when the SDK collects (asynchronous instruments);
 * rare events (protocol errors, refusals) and the two histograms are recorded as they happen.
 * Thread-safe.
 */
public final class LibchanMetrics {
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SCOPE = AttributeKey.stringKey("libchan.error.scope");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("libchan.reason");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("libchan.endpoint");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("libchan.outcome");
    static final AttributeKey<String> LAYER = AttributeKey.stringKey("libchan.layer");
    static final AttributeKey<String> SOURCE = AttributeKey.stringKey("libchan.source");

    private static final List<Long> SIZE_BUCKETS = List.of(64L, 256L, 1024L, 4096L, 16_384L, 65_536L, 262_144L,
            1_048_576L, 4_194_304L, 16_777_216L);
    /** OpenTelemetry's advice for durations in seconds (HTTP semantic conventions). */
    private static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final Set<SessionObservation> live = ConcurrentHashMap.newKeySet();
    /** What ended sessions counted, by attributes: the counters stay monotonic (guarded by this). */
    private final Map<Attributes, long[]> retired = new HashMap<>();
    /** Gauge series seen open or retired: reported as 0 when no live session holds them (guarded by this). */
    private final Set<Attributes> gaugeSeries = new HashSet<>();

    private final LongHistogram messageSize;
    private final LongCounter messagesRefused;
    private final LongCounter protocolErrors;
    private final LongCounter connectionsRefused;
    private final DoubleHistogram endpointDuration;

    LibchanMetrics(OpenTelemetry otel) {
        Meter meter = otel.getMeter("io.libchan");
        ObservableLongMeasurement sessions = meter.upDownCounterBuilder("libchan.sessions.open").setUnit("{session}")
                .setDescription("Sessions open now").buildObserver();
        ObservableLongMeasurement channels = meter.upDownCounterBuilder("libchan.channels.open").setUnit("{channel}")
                .setDescription("Channels and byte streams open now").buildObserver();
        ObservableLongMeasurement[] counters = {
            counter(meter, "libchan.messages.sent", "{message}", "Messages written to peers"),
            counter(meter, "libchan.messages.received", "{message}", "Whole messages read from peers"),
            counter(meter, "libchan.bytes.sent", "By", "Bytes written to connections (SPDY frames)"),
            counter(meter, "libchan.bytes.received", "By", "Bytes read from connections (SPDY frames)"),
            counter(meter, "libchan.bytestream.bytes.sent", "By", "Bytes written to byte streams"),
            counter(meter, "libchan.bytestream.bytes.received", "By", "Bytes read from byte streams"),
        };
        ObservableLongMeasurement[] all = new ObservableLongMeasurement[counters.length + 1];
        System.arraycopy(counters, 0, all, 1, counters.length);
        all[0] = channels;
        meter.batchCallback(() -> collect(sessions, channels, counters), sessions, all);
        messageSize = meter.histogramBuilder("libchan.message.size").ofLongs().setUnit("By")
                .setDescription("Size of the messages sent and received, encoded")
                .setExplicitBucketBoundariesAdvice(SIZE_BUCKETS).build();
        messagesRefused = meter.counterBuilder("libchan.messages.refused").setUnit("{message}")
                .setDescription("Messages from peers refused (too large, over the memory budget, malformed)").build();
        protocolErrors = meter.counterBuilder("libchan.protocol.errors").setUnit("{error}")
                .setDescription("Protocol errors by peers").build();
        connectionsRefused = meter.counterBuilder("libchan.connections.refused").setUnit("{connection}")
                .setDescription("Connections a listener turned away at its limit").build();
        endpointDuration = meter.histogramBuilder("libchan.endpoint.duration").setUnit("s")
                .setDescription("Time an endpoint took to answer a call").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
    }

    private static ObservableLongMeasurement counter(Meter meter, String name, String unit, String description) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).buildObserver();
    }

    void register(SessionObservation s) {
        live.add(s);
    }

    /**
     * Moves an ended session's counts to the totals, atomically with respect to a collection. Its
     * gauge series is then reported (0 when no other session holds it) even if no collection saw the
     * session open: a session shorter than the export interval still shows that its series exists.
     */
    synchronized void retire(SessionObservation s) {
        if (live.remove(s)) {
            add(retired, s.attributes().counters(), s);
            gaugeSeries.add(gaugeAttributes(s));
        }
    }

    private static Attributes gaugeAttributes(SessionObservation s) {
        io.libchan.Dialect d = s.dialectOrNull();
        return s.attributes().withDialect(d == null ? "unknown" : d.id());
    }

    private static void add(Map<Attributes, long[]> into, Attributes key, SessionObservation s) {
        long[] sums = into.computeIfAbsent(key, k -> new long[SessionObservation.COUNTERS]);
        for (int i = 0; i < SessionObservation.COUNTERS; i++) {
            sums[i] += s.count(i);
        }
    }

    private synchronized void collect(ObservableLongMeasurement sessions, ObservableLongMeasurement channels,
                                      ObservableLongMeasurement[] counters) {
        Map<Attributes, long[]> totals = new HashMap<>();
        retired.forEach((k, v) -> totals.put(k, v.clone()));
        Map<Attributes, long[]> gauges = new HashMap<>();
        for (Attributes a : gaugeSeries) {
            gauges.put(a, new long[2]);
        }
        for (SessionObservation s : live) {
            add(totals, s.attributes().counters(), s);
            long[] open = gauges.computeIfAbsent(gaugeAttributes(s), k -> new long[2]);
            open[0]++;
            open[1] += s.openChannels();
        }
        gaugeSeries.addAll(gauges.keySet());
        gauges.forEach((a, v) -> {
            sessions.record(v[0], a);
            channels.record(v[1], a);
        });
        totals.forEach((a, v) -> {
            for (int i = 0; i < counters.length; i++) {
                counters[i].record(v[i], a);
            }
        });
    }

    void messageSize(int bytes, SessionAttributes a, boolean sent) {
        if (a != null) {
            messageSize.record(bytes, sent ? a.sent() : a.received());
        }
    }

    void messageRefused(String reason, SessionAttributes a) {
        messagesRefused.add(1, a.counters().toBuilder().put(REASON, reason).build());
    }

    void protocolError(String type, String scope, SessionAttributes a) {
        protocolErrors.add(1, a.counters().toBuilder().put(ERROR_TYPE, type).put(SCOPE, scope).build());
    }

    /** A listener turned a connection away; {@code reason} e.g. {@code max_connections}. */
    public void connectionRefused(String transport, String listener, String reason) {
        connectionsRefused.add(1, SessionAttributes.of(transport, listener).counters().toBuilder().put(REASON, reason).build());
    }

    /**
     * An endpoint answered a call.
     *
     * @param layer   the kind of endpoint: {@code cdi} (a CDI bean's method), {@code ejb} (a session bean's)
     * @param source  where the call came from: a server's or a channel's configured name, {@code rest}
     *                for the REST fallback
     * @param outcome {@code ok}, {@code error} (it threw: an error reply) or {@code forbidden}
     */
    public void endpointCall(String layer, String source, String endpoint, String outcome, long nanos) {
        endpointDuration.record(nanos / 1e9, Attributes.builder().put(LAYER, layer).put(SOURCE, source)
                .put(ENDPOINT, endpoint).put(OUTCOME, outcome).build());
    }
}
