package io.libchan.internal.observe;

/**
 * The {@code libchan.*} instruments (README.md, "Metrics"): their names, units and descriptions, as
 * {@link LibchanMetrics} makes them in OpenTelemetry and as {@link MetricTap} hands them to another
 * metrics system.
 */
public enum Instrument {
    SESSIONS_OPEN("libchan.sessions.open", "{session}", "Sessions open now", Kind.GAUGE),
    CHANNELS_OPEN("libchan.channels.open", "{channel}", "Channels and byte streams open now", Kind.GAUGE),
    MESSAGES_SENT("libchan.messages.sent", "{message}", "Messages written to peers", Kind.COUNTER),
    MESSAGES_RECEIVED("libchan.messages.received", "{message}", "Whole messages read from peers", Kind.COUNTER),
    BYTES_SENT("libchan.bytes.sent", "By", "Bytes written to connections (SPDY frames)", Kind.COUNTER),
    BYTES_RECEIVED("libchan.bytes.received", "By", "Bytes read from connections (SPDY frames)", Kind.COUNTER),
    STREAM_BYTES_SENT("libchan.bytestream.bytes.sent", "By", "Bytes written to byte streams", Kind.COUNTER),
    STREAM_BYTES_RECEIVED("libchan.bytestream.bytes.received", "By", "Bytes read from byte streams", Kind.COUNTER),
    MESSAGE_SIZE("libchan.message.size", "By", "Size of the messages sent and received, encoded", Kind.HISTOGRAM),
    MESSAGES_REFUSED("libchan.messages.refused", "{message}",
            "Messages from peers refused (too large, over the memory budget, malformed)", Kind.COUNTER),
    PROTOCOL_ERRORS("libchan.protocol.errors", "{error}", "Protocol errors by peers", Kind.COUNTER),
    CONNECTIONS_REFUSED("libchan.connections.refused", "{connection}",
            "Connections a listener turned away at its limit", Kind.COUNTER),
    ENDPOINT_DURATION("libchan.endpoint.duration", "s", "Time an endpoint took to answer a call", Kind.HISTOGRAM);

    /** How a series' value behaves. */
    public enum Kind {
        /** Only grows: read its total with {@link Series#value()}. */
        COUNTER,
        /** A current level: read it with {@link Series#value()}. */
        GAUGE,
        /** One value per event, handed to {@link MetricTap.Listener#recorded} as it happens. */
        HISTOGRAM
    }

    /** The counters every session keeps itself ({@link SessionObservation}), in its order. */
    static final Instrument[] SESSION_COUNTERS = {
        MESSAGES_SENT, MESSAGES_RECEIVED, BYTES_SENT, BYTES_RECEIVED, STREAM_BYTES_SENT, STREAM_BYTES_RECEIVED,
    };

    private final String otelName;
    private final String unit;
    private final String description;
    private final Kind kind;

    Instrument(String name, String unit, String description, Kind kind) {
        this.otelName = name;
        this.unit = unit;
        this.description = description;
        this.kind = kind;
    }

    /** The OpenTelemetry name, e.g. {@code libchan.messages.received}. */
    public String otelName() {
        return otelName;
    }

    /** The OpenTelemetry unit (UCUM): {@code By}, {@code s}, or an annotation such as {@code {message}}. */
    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    public Kind kind() {
        return kind;
    }

    /** For a session counter, its place in {@link SessionObservation}'s counts; -1 otherwise. */
    int sessionCounter() {
        for (int i = 0; i < SESSION_COUNTERS.length; i++) {
            if (SESSION_COUNTERS[i] == this) {
                return i;
            }
        }
        return -1;
    }
}
