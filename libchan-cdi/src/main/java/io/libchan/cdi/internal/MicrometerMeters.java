package io.libchan.cdi.internal;

import io.libchan.internal.observe.Instrument;
import io.libchan.internal.observe.MetricTap;
import io.libchan.internal.observe.Series;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * libchan's instruments as Micrometer meters in the application's {@link MeterRegistry} bean
 * (WildFly's micrometer subsystem gives every CDI deployment one; its {@code registry=prometheus}
 * serves them on the management port): a {@link FunctionCounter} or {@link Gauge} per counter and
 * gauge series, reading libchan's own counts when the registry is scraped, and a
 * {@link DistributionSummary} (message size) or {@link Timer} (endpoint duration) per histogram
 * series, recorded beside the OpenTelemetry histogram. Names are the OpenTelemetry ones, which
 * Micrometer's Prometheus naming turns into e.g. {@code libchan_messages_received_total}; tags are
 * the OpenTelemetry attributes.
 *
 * <p>Only loaded where Micrometer's classes are visible ({@link MeterRegistries}). The registry
 * outlives the application: {@link #close()} removes every meter made here. On WildFly it is the
 * server's, shared by its deployments: a series another deployment registered first (the same
 * listener URI and tags) stays that deployment's meter, this one's counts of it are not shown.
 * Thread-safe.
 */
final class MicrometerMeters implements MetricTap.Listener, AutoCloseable {
    /** The OpenTelemetry histogram's buckets, as Prometheus buckets (bytes). */
    private static final double[] SIZE_BUCKETS = {64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304,
        16_777_216};
    /** The OpenTelemetry histogram's buckets, as Prometheus buckets (seconds). */
    private static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5,
        5.0, 7.5, 10.0};

    private static final String TRANSPORT = "libchan.transport";
    private static final String LISTENER = "libchan.listener";

    private final MeterRegistry registry;
    private final List<Meter> made = new ArrayList<>(); // guarded by this
    private final Map<Attributes, DistributionSummary> sizes = new ConcurrentHashMap<>();
    private final Map<Attributes, Timer> durations = new ConcurrentHashMap<>();
    private boolean closed; // guarded by this

    private MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters in the application's registry bean, attached to libchan's; null when it has none. */
    static AutoCloseable attach(BeanManager beanManager) {
        Instance<MeterRegistry> bean = beanManager.createInstance().select(MeterRegistry.class);
        if (!bean.isResolvable()) {
            return null;
        }
        MicrometerMeters meters = new MicrometerMeters(bean.get());
        MetricTap.attach(meters);
        return meters;
    }

    @Override
    public void added(Series series) {
        List<Tag> tags = tags(series.attributes());
        String name = series.instrument().otelName();
        if (series.instrument().kind() == Instrument.Kind.HISTOGRAM || registry.find(name).tags(tags).meter() != null) {
            // histograms: made at their first value; a meter there already is another deployment's
            // (the same listener in the server's registry): left to it, never removed by this one
            return;
        }
        if (series.instrument().kind() == Instrument.Kind.COUNTER) {
            // bytes as a base unit, as OpenTelemetry's Prometheus exporter writes "By" (the embedded
            // demo's /metrics): libchan_bytes_sent_bytes_total in both; annotations ({message}) are no unit
            keep(FunctionCounter.builder(name, series, Series::value).tags(tags)
                    .baseUnit("By".equals(series.instrument().unit()) ? "bytes" : null)
                    .description(series.instrument().description()).register(registry));
        } else {
            keep(Gauge.builder(name, series, Series::value).tags(tags)
                    .description(series.instrument().description()).register(registry));
        }
    }

    @Override
    public void recorded(Instrument histogram, Attributes attributes, double value) {
        if (histogram == Instrument.MESSAGE_SIZE) {
            DistributionSummary s = sizes.get(attributes);
            if (s == null) {
                s = sizes.computeIfAbsent(attributes, a -> summary(histogram, tags(a)));
            }
            s.record(value);
        } else if (histogram == Instrument.ENDPOINT_DURATION) {
            durations.computeIfAbsent(attributes, a -> timer(histogram, tags(a)))
                    .record((long) (value * 1e9), TimeUnit.NANOSECONDS);
        }
    }

    /** This series' summary: made here, or another deployment's (shared, not removed by this one). */
    private DistributionSummary summary(Instrument histogram, List<Tag> tags) {
        DistributionSummary theirs = registry.find(histogram.otelName()).tags(tags).summary();
        return theirs != null ? theirs : keep(DistributionSummary.builder(histogram.otelName()).baseUnit("bytes")
                .description(histogram.description()).tags(tags).serviceLevelObjectives(SIZE_BUCKETS).register(registry));
    }

    private Timer timer(Instrument histogram, List<Tag> tags) {
        Timer theirs = registry.find(histogram.otelName()).tags(tags).timer();
        return theirs != null ? theirs : keep(Timer.builder(histogram.otelName()).description(histogram.description())
                .tags(tags).serviceLevelObjectives(durations()).register(registry));
    }

    private static Duration[] durations() {
        Duration[] d = new Duration[DURATION_BUCKETS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Duration.ofNanos((long) (DURATION_BUCKETS[i] * 1e9));
        }
        return d;
    }

    private static List<Tag> tags(Attributes attributes) {
        Map<String, String> byName = new java.util.TreeMap<>();
        attributes.forEach((k, v) -> byName.put(k.getKey(), String.valueOf(v)));
        return tags(byName);
    }

    /**
     * The attributes as tags; a client's session (no {@code libchan.listener}) gets it empty, as
     * Prometheus reads an absent label: Micrometer's Prometheus registry drops a meter whose tag keys
     * differ from those of the first meter of its name, here a server's.
     */
    private static List<Tag> tags(Map<String, String> attributes) {
        List<Tag> tags = new ArrayList<>();
        attributes.forEach((k, v) -> tags.add(Tag.of(k, v)));
        if (attributes.containsKey(TRANSPORT) && !attributes.containsKey(LISTENER)) {
            tags.add(Tag.of(LISTENER, ""));
        }
        return tags;
    }

    /** Remembers a meter to remove at close; removes it at once if closed meanwhile. */
    private synchronized <M extends Meter> M keep(M meter) {
        if (closed) {
            registry.remove(meter);
        } else {
            made.add(meter);
        }
        return meter;
    }

    /** Stops listening and removes every meter made here from the registry (which outlives the application). */
    @Override
    public void close() {
        MetricTap.detach(this);
        List<Meter> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(made);
            made.clear();
        }
        all.forEach(registry::remove);
        sizes.clear();
        durations.clear();
    }
}
