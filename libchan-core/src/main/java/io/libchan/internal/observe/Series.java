package io.libchan.internal.observe;

import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.TreeMap;

/**
 * One series of a {@code libchan.*} instrument: the instrument and one set of attributes. A counter's
 * or gauge's {@link #value()} is read from libchan's own counts when asked (summed over every
 * OpenTelemetry libchan counts into); a histogram's values come one by one through
 * {@link MetricTap.Listener#recorded}. Thread-safe.
 */
public final class Series {
    private final Instrument instrument;
    private final Attributes attributes;

    Series(Instrument instrument, Attributes attributes) {
        this.instrument = instrument;
        this.attributes = attributes;
    }

    public Instrument instrument() {
        return instrument;
    }

    /** The OpenTelemetry attributes, the same object for every value recorded in this series. */
    public Attributes otelAttributes() {
        return attributes;
    }

    /** The attributes by name (e.g. {@code libchan.listener} to {@code tcp://127.0.0.1:9323}), sorted. */
    public Map<String, String> attributes() {
        Map<String, String> m = new TreeMap<>();
        attributes.forEach((k, v) -> m.put(k.getKey(), String.valueOf(v)));
        return m;
    }

    /** A counter's total or a gauge's level now; 0 for a histogram. */
    public long value() {
        if (instrument.kind() == Instrument.Kind.HISTOGRAM) {
            return 0;
        }
        long sum = 0;
        for (LibchanMetrics m : Telemetry.instances()) {
            sum += m.read(instrument, attributes);
        }
        return sum;
    }

    @Override
    public String toString() {
        return instrument.otelName() + attributes();
    }
}
