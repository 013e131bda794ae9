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
 * rare events (protocol errors, refusals) and the two histograms are recorded as they happen (message
 * sizes through {@link MessageSizes}).
 * {@link #read} gives one series' value to another metrics system ({@link MetricTap}).
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

    /** The rare events' counts, also in OpenTelemetry's counters: kept for {@link MetricTap}'s readers. */
    private final Map<EventKey, java.util.concurrent.atomic.LongAdder> events = new ConcurrentHashMap<>();

    private record EventKey(Instrument instrument, Attributes attributes) {
    }

    private final LongHistogram messageSize;
    private final Map<SessionAttributes, MessageSizes> messageSizes = new ConcurrentHashMap<>();
    private final LongCounter messagesRefused;
    private final LongCounter protocolErrors;
    private final LongCounter connectionsRefused;
    private final DoubleHistogram endpointDuration;

    LibchanMetrics(OpenTelemetry otel) {
        Meter meter = otel.getMeter("io.libchan");
        ObservableLongMeasurement sessions = gauge(meter, Instrument.SESSIONS_OPEN);
        ObservableLongMeasurement channels = gauge(meter, Instrument.CHANNELS_OPEN);
        ObservableLongMeasurement[] counters = new ObservableLongMeasurement[Instrument.SESSION_COUNTERS.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = counter(meter, Instrument.SESSION_COUNTERS[i]);
        }
        ObservableLongMeasurement[] all = new ObservableLongMeasurement[counters.length + 1];
        System.arraycopy(counters, 0, all, 1, counters.length);
        all[0] = channels;
        meter.batchCallback(() -> collect(sessions, channels, counters), sessions, all);
        messageSize = meter.histogramBuilder(Instrument.MESSAGE_SIZE.otelName()).ofLongs()
                .setUnit(Instrument.MESSAGE_SIZE.unit()).setDescription(Instrument.MESSAGE_SIZE.description())
                .setExplicitBucketBoundariesAdvice(SIZE_BUCKETS).build();
        messagesRefused = eventCounter(meter, Instrument.MESSAGES_REFUSED);
        protocolErrors = eventCounter(meter, Instrument.PROTOCOL_ERRORS);
        connectionsRefused = eventCounter(meter, Instrument.CONNECTIONS_REFUSED);
        endpointDuration = meter.histogramBuilder(Instrument.ENDPOINT_DURATION.otelName())
                .setUnit(Instrument.ENDPOINT_DURATION.unit()).setDescription(Instrument.ENDPOINT_DURATION.description())
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    private static ObservableLongMeasurement gauge(Meter meter, Instrument i) {
        return meter.upDownCounterBuilder(i.otelName()).setUnit(i.unit()).setDescription(i.description()).buildObserver();
    }

    private static LongCounter eventCounter(Meter meter, Instrument i) {
        return meter.counterBuilder(i.otelName()).setUnit(i.unit()).setDescription(i.description()).build();
    }

    private static ObservableLongMeasurement counter(Meter meter, Instrument i) {
        return meter.counterBuilder(i.otelName()).setUnit(i.unit()).setDescription(i.description()).buildObserver();
    }

    void register(SessionObservation s) {
        live.add(s);
        Attributes counters = s.attributes().counters();
        for (Instrument i : Instrument.SESSION_COUNTERS) {
            MetricTap.seen(i, counters);
        }
        gaugeSeen(s);
    }

    /** The session's gauge series (its dialect may be known only now), for {@link MetricTap}. */
    void gaugeSeen(SessionObservation s) {
        if (s.attributes() != null) {
            Attributes a = gaugeAttributes(s);
            MetricTap.seen(Instrument.SESSIONS_OPEN, a);
            MetricTap.seen(Instrument.CHANNELS_OPEN, a);
        }
    }

    /**
     * Moves an ended session's counts to the totals, atomically with respect to a collection. Its
     * gauge series is then reported (0 when no other session holds it) even if no collection saw the
     * session open: a session shorter than the export interval still shows that its series exists.
     */
    void retire(SessionObservation s) {
        synchronized (this) {
            if (!live.remove(s)) {
                return;
            }
            add(retired, s.attributes().counters(), s);
            gaugeSeries.add(gaugeAttributes(s));
        }
        gaugeSeen(s);
    }

    /** One series' value now, for {@link Series#value()}: what {@link #collect} would report for it. */
    long read(Instrument instrument, Attributes a) {
        return switch (instrument) {
            case SESSIONS_OPEN, CHANNELS_OPEN -> openNow(instrument == Instrument.SESSIONS_OPEN, a);
            case MESSAGES_REFUSED, PROTOCOL_ERRORS, CONNECTIONS_REFUSED -> {
                java.util.concurrent.atomic.LongAdder n = events.get(new EventKey(instrument, a));
                yield n == null ? 0 : n.sum();
            }
            case MESSAGE_SIZE, ENDPOINT_DURATION -> 0;
            default -> sessionTotal(instrument.sessionCounter(), a);
        };
    }

    private synchronized long sessionTotal(int counter, Attributes a) {
        long[] ended = retired.get(a);
        long sum = ended == null ? 0 : ended[counter];
        for (SessionObservation s : live) {
            if (s.attributes().counters().equals(a)) {
                sum += s.count(counter);
            }
        }
        return sum;
    }

    private long openNow(boolean sessions, Attributes a) {
        long sum = 0;
        for (SessionObservation s : live) {
            if (gaugeAttributes(s).equals(a)) {
                sum += sessions ? 1 : s.openChannels();
            }
        }
        return sum;
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

    /** Where the sessions of {@code a} record their message sizes: one per attributes, made on first use. */
    MessageSizes messageSizes(SessionAttributes a) {
        return messageSizes.computeIfAbsent(a, k -> MessageSizes.of(messageSize, k));
    }

    void messageRefused(String reason, SessionAttributes a) {
        event(messagesRefused, Instrument.MESSAGES_REFUSED, a.counters().toBuilder().put(REASON, reason).build());
    }

    void protocolError(String type, String scope, SessionAttributes a) {
        event(protocolErrors, Instrument.PROTOCOL_ERRORS,
                a.counters().toBuilder().put(ERROR_TYPE, type).put(SCOPE, scope).build());
    }

    /** A listener turned a connection away; {@code reason} e.g. {@code max_connections}. */
    public void connectionRefused(String transport, String listener, String reason) {
        event(connectionsRefused, Instrument.CONNECTIONS_REFUSED,
                SessionAttributes.of(transport, listener).counters().toBuilder().put(REASON, reason).build());
    }

    /** A rare event: counted in OpenTelemetry and here, for {@link MetricTap}'s readers. */
    private void event(LongCounter counter, Instrument instrument, Attributes a) {
        counter.add(1, a);
        events.computeIfAbsent(new EventKey(instrument, a), k -> new java.util.concurrent.atomic.LongAdder()).increment();
        MetricTap.seen(instrument, a);
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
        Attributes a = Attributes.builder().put(LAYER, layer).put(SOURCE, source).put(ENDPOINT, endpoint)
                .put(OUTCOME, outcome).build();
        endpointDuration.record(nanos / 1e9, a);
        MetricTap.recorded(Instrument.ENDPOINT_DURATION, a, nanos / 1e9);
    }
}
