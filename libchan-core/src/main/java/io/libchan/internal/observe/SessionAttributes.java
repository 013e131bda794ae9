package io.libchan.internal.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attributes a session's measurements carry, made once per (transport, listener) and shared:
 * the hot path never builds an {@link Attributes}.
 */
record SessionAttributes(String transport, String listener, Attributes counters, Attributes sent, Attributes received) {
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("libchan.transport");
    static final AttributeKey<String> LISTENER = AttributeKey.stringKey("libchan.listener");
    static final AttributeKey<String> DIALECT = AttributeKey.stringKey("libchan.dialect");
    static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("libchan.direction");

    private static final Map<String, SessionAttributes> CACHE = new ConcurrentHashMap<>();

    static SessionAttributes of(String transport, String listener) {
        return CACHE.computeIfAbsent(transport + ' ' + (listener == null ? "" : listener), k -> make(transport, listener));
    }

    private static SessionAttributes make(String transport, String listener) {
        Attributes counters = base(transport, listener).build();
        return new SessionAttributes(transport, listener, counters,
                counters.toBuilder().put(DIRECTION, "sent").build(),
                counters.toBuilder().put(DIRECTION, "received").build());
    }

    private static AttributesBuilder base(String transport, String listener) {
        AttributesBuilder b = Attributes.builder().put(TRANSPORT, transport);
        if (listener != null) {
            b.put(LISTENER, listener);
        }
        return b;
    }

    /** With the dialect, for the gauges of open sessions and channels. */
    Attributes withDialect(String dialect) {
        return counters.toBuilder().put(DIALECT, dialect).build();
    }
}
