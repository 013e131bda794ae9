package io.libchan.internal.observe;

import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets another metrics system (libchan-cdi's Micrometer meters) read libchan's instruments without
 * OpenTelemetry: it hears of each new {@link Series} and of each histogram value. One per copy of
 * libchan-core (a static: one per deployment on WildFly, where each WAR carries its own), one
 * listener at a time.
 *
 * <p>While a listener is attached, sessions are counted even when no OpenTelemetry SDK is present
 * ({@link Telemetry#metrics}); without one, nothing here runs for a message. Thread-safe.
 */
public final class MetricTap {
    /** What a metrics system is told. Called on libchan's threads: keep it short, never block. */
    public interface Listener {
        /** A series appeared (or existed when the listener attached). Once per series and listener. */
        void added(Series series);

        /** A histogram's value: bytes for {@link Instrument#MESSAGE_SIZE}, seconds for {@link Instrument#ENDPOINT_DURATION}. */
        void recorded(Instrument histogram, Attributes attributes, double value);
    }

    private record Key(Instrument instrument, Attributes attributes) {
    }

    /** Every series any session or event made, attached or not: a listener attaching late hears of them. */
    private static final Map<Key, Series> SERIES = new ConcurrentHashMap<>();
    private static volatile Listener listener;

    private MetricTap() {
    }

    /** From now on {@code l} hears of series and histogram values; first of every series there is. */
    public static synchronized void attach(Listener l) {
        listener = l;
        List.copyOf(SERIES.values()).forEach(l::added);
    }

    /** {@code l} hears nothing more (nothing happens if another listener took its place). */
    public static synchronized void detach(Listener l) {
        if (listener == l) {
            listener = null;
        }
    }

    static boolean attached() {
        return listener != null;
    }

    /** A series exists: announced the first time. Not on the per-message path. */
    static void seen(Instrument instrument, Attributes attributes) {
        Key key = new Key(instrument, attributes);
        if (SERIES.containsKey(key)) {
            return;
        }
        synchronized (MetricTap.class) { // with attach: a series is announced once, before or by it
            Series s = new Series(instrument, attributes);
            if (SERIES.putIfAbsent(key, s) == null) {
                Listener l = listener;
                if (l != null) {
                    l.added(s);
                }
            }
        }
    }

    /** A histogram value, for the listener if there is one. */
    static void recorded(Instrument histogram, Attributes attributes, double value) {
        Listener l = listener;
        if (l != null) {
            l.recorded(histogram, attributes, value);
        }
    }
}
