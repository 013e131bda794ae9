package io.libchan.internal.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.cfg.CacheProvider;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.DeserializerFactory;

/**
 * A Jackson deserialization context kept with a pooled parser and used for message after message,
 * where {@code ObjectReader.readValue} makes a new one per call (some twenty fields; JFR put it at
 * a seventh of the bytes allocated per message at 64 in flight). A reader that hands it out
 * ({@code ObjectReader.createDeserializationContext}) gets it through {@link #take}, which makes a
 * new one when the reader's configuration differs; {@link #forget()} after each message drops what
 * the message left (the type being read, per-call attributes, the object buffer and its values),
 * and a context that met object ids ({@code @JsonIdentityInfo}: their resolvers are private state)
 * is not kept at all. Not thread-safe: one thread at a time, as the parser it goes with.
 */
public final class ReusedDeserializationContext extends DefaultDeserializationContext {
    private static final long serialVersionUID = 1L;

    /** The reader's blueprint context this one was made from (null when made otherwise). */
    private final transient DefaultDeserializationContext blueprint;

    private ReusedDeserializationContext(DefaultDeserializationContext src, DeserializationConfig config, JsonParser p,
            InjectableValues values) {
        super(src, config, p, values);
        this.blueprint = src;
    }

    private ReusedDeserializationContext(DefaultDeserializationContext src, DeserializationConfig config) {
        super(src, config);
        this.blueprint = null;
    }

    private ReusedDeserializationContext(DefaultDeserializationContext src, DeserializerFactory factory) {
        super(src, factory);
        this.blueprint = null;
    }

    private ReusedDeserializationContext(DefaultDeserializationContext src, CacheProvider caches) {
        super(src, caches);
        this.blueprint = null;
    }

    private ReusedDeserializationContext(DefaultDeserializationContext src) {
        super(src);
        this.blueprint = null;
    }

    /**
     * The context for a read of {@code p} by a reader with these blueprint, configuration and
     * injectable values: {@code kept} if it was made for the same, else a new one.
     */
    public static ReusedDeserializationContext take(ReusedDeserializationContext kept, DefaultDeserializationContext blueprint,
            DeserializationConfig config, JsonParser p, InjectableValues values) {
        if (kept != null && kept.blueprint == blueprint && kept._config == config && kept._injectableValues == values
                && kept._parser == p) {
            return kept;
        }
        return new ReusedDeserializationContext(blueprint, config, p, values);
    }

    /**
     * Drops what the last message left. @return false when this context must not be used again
     * (it resolved object ids: their per-read state is out of reach)
     */
    public boolean forget() {
        _currentType = null;
        _attributes = _config.getAttributes();
        _objectBuffer = null; // its free array still holds the last values
        return _objectIds == null;
    }

    @Override
    public DefaultDeserializationContext with(DeserializerFactory factory) {
        return new ReusedDeserializationContext(this, factory);
    }

    @Override
    public DefaultDeserializationContext withCaches(CacheProvider caches) {
        return new ReusedDeserializationContext(this, caches);
    }

    @Override
    public DefaultDeserializationContext createInstance(DeserializationConfig config, JsonParser p, InjectableValues values) {
        return new ReusedDeserializationContext(this, config, p, values);
    }

    @Override
    public DefaultDeserializationContext createDummyInstance(DeserializationConfig config) {
        return new ReusedDeserializationContext(this, config);
    }

    @Override
    public DefaultDeserializationContext copy() {
        return new ReusedDeserializationContext(this);
    }
}
