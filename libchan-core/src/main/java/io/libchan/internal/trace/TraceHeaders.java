package io.libchan.internal.trace;

import io.libchan.internal.spdy.SpdyHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) on the SYN_STREAM of a channel
 * (PROTOCOL.md section 8), or on the {@code open} frame of a {@code libchan.json} channel (13.4.1). The sending side adds the caller's current span context when it opens a
 * stream; the receiving side keeps the two values as they came and hands them to whoever serves the
 * channel ({@link io.libchan.Receiver#traceContext()}, {@link io.libchan.Sender#traceContext()}).
 *
 * <p>Free when tracing is off: nothing is added, and nothing allocated, unless the calling thread
 * runs inside a span with a valid context (an OpenTelemetry SDK installed, or a context extracted
 * from an incoming call). Stateless; thread-safe.
 */
public final class TraceHeaders {
    /** The W3C {@code traceparent} header: version, trace id, parent span id, flags. */
    public static final String TRACEPARENT = "traceparent";
    /** The W3C {@code tracestate} header: vendor entries, only sent beside a traceparent. */
    public static final String TRACESTATE = "tracestate";

    private static final TextMapSetter<Map<String, String>> MAP_SETTER = (map, name, value) -> {
        if (map != null) {
            map.put(name, value);
        }
    };

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceHeaders() {
    }

    /**
     * The current trace context as {@code traceparent} (and {@code tracestate}) values, or null unless
     * the calling thread runs in a span whose context is valid: what a stream opened now carries, and what it is compared with to decide
     * whether its reference alone may open it (PROTOCOL.md section 8).
     */
    public static Map<String, String> currentOrNull() {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        if (context.getTraceState().isEmpty()) {
            // what the W3C propagator writes, without its map and builder: once per traced stream opened
            return Map.of(TRACEPARENT, "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                    + context.getTraceFlags().asHex());
        }
        Map<String, String> map = new HashMap<>(2);
        W3CTraceContextPropagator.getInstance().inject(Context.current(), map, MAP_SETTER);
        String parent = map.get(TRACEPARENT);
        return parent == null ? null : of(parent, map.get(TRACESTATE));
    }

    /**
     * True when {@code trace} (from {@link #currentOrNull()}) can ride in a reference (traced-refs,
     * PROTOCOL.md section 8): it has no tracestate, which only a SYN_STREAM carries. Its traceparent
     * is then the exact version-00 form, made from a valid span context, whose ids OpenTelemetry
     * holds to lowercase hex.
     */
    public static boolean fitsReference(Map<String, String> trace) {
        return trace != null && trace.size() == 1;
    }

    /** Adds {@code trace} (from {@link #currentOrNull()}) to {@code headers}: traceparent, then tracestate if any. */
    public static void add(SpdyHeaders.Builder headers, Map<String, String> trace) {
        headers.add(TRACEPARENT, trace.get(TRACEPARENT));
        String state = trace.get(TRACESTATE);
        if (state != null) {
            headers.add(TRACESTATE, state);
        }
    }

    /**
     * The current trace context as {@code traceparent} (and {@code tracestate}) values, for a framing
     * that carries them as fields (the {@code open} frame of {@code libchan.json}); empty outside a
     * valid span.
     */
    public static Map<String, String> current() {
        Map<String, String> trace = currentOrNull();
        return trace == null ? Map.of() : trace;
    }

    /**
     * The trace headers of a SYN_STREAM as they came (a receiver judges them when it extracts,
     * {@link #extract}), or null when it has no {@code traceparent}: a {@code tracestate} alone
     * means nothing.
     */
    public static Map<String, String> of(SpdyHeaders headers) {
        String parent = headers.get(TRACEPARENT);
        if (parent == null) {
            return null;
        }
        return of(parent, headers.get(TRACESTATE));
    }

    /** {@code traceparent} and {@code tracestate} as a map (an HTTP request's); empty without a traceparent. */
    public static Map<String, String> of(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Map.of();
        }
        return tracestate == null ? Map.of(TRACEPARENT, traceparent)
                : Map.of(TRACEPARENT, traceparent, TRACESTATE, tracestate);
    }

    /**
     * {@code parent} with the span context of {@code trace} as its remote parent; {@code parent}
     * itself when {@code trace} is empty or malformed (a bad value is ignored, never an error).
     */
    public static Context extract(Context parent, Map<String, String> trace) {
        if (trace.isEmpty()) {
            return parent;
        }
        return W3CTraceContextPropagator.getInstance().extract(parent, trace, GETTER);
    }
}
