package io.libchan.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CacheProvider;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.ser.SerializerFactory;
import java.io.IOException;

/**
 * A Jackson serializer provider kept with a pooled generator and used for message after message,
 * where {@code ObjectWriter.writeValue} makes a new one per call (a {@code DefaultSerializerProvider}
 * of some twenty fields and a lookup map): at 400,000 messages a second that construction was a
 * tenth of the samples of a connection's thread and a quarter of a sending thread's (JFR, bench (b)).
 *
 * <p>{@link #write} does what {@code mapper.writer().writeValue(gen, value)} does (the mapper's
 * configuration applied to the generator, the value serialized, a flush if configured) and then
 * forgets everything one message leaves in a provider (object ids seen, per-call attributes, the
 * generator), so the next message is written as by a fresh provider. The serializers it looked up
 * when made are a snapshot of the mapper's cache: {@link #current()} tells when the cache has
 * grown since, and the caller then makes a new one. Not thread-safe: one thread at a time, as the
 * generator it goes with.
 */
public final class ReusedSerializerProvider extends DefaultSerializerProvider {
    private static final long serialVersionUID = 1L;

    private ReusedSerializerProvider(SerializerProvider src, SerializationConfig config, SerializerFactory factory) {
        super(src, config, factory);
    }

    private ReusedSerializerProvider(ReusedSerializerProvider src) {
        super(src);
    }

    private ReusedSerializerProvider(ReusedSerializerProvider src, CacheProvider caches) {
        super(src, caches);
    }

    /** A provider for {@code mapper}, whose configuration must not change from now on. */
    public static ReusedSerializerProvider of(ObjectMapper mapper) {
        return new ReusedSerializerProvider(mapper.getSerializerProvider(), mapper.getSerializationConfig(),
                mapper.getSerializerFactory());
    }

    @Override
    public DefaultSerializerProvider createInstance(SerializationConfig config, SerializerFactory factory) {
        return new ReusedSerializerProvider(this, config, factory);
    }

    @Override
    public DefaultSerializerProvider copy() {
        return new ReusedSerializerProvider(this);
    }

    @Override
    public DefaultSerializerProvider withCaches(CacheProvider caches) {
        return new ReusedSerializerProvider(this, caches);
    }

    /** False once the mapper has made serializers this provider's snapshot lacks: make a new one. */
    public boolean current() {
        return _knownSerializers == _serializerCache.getReadOnlyLookupMap();
    }

    /** Writes {@code value} as the mapper's {@code writer().writeValue(gen, value)} would. */
    public void write(JsonGenerator gen, Object value) throws IOException {
        _config.initialize(gen);
        try {
            serializeValue(gen, value);
            if (_config.isEnabled(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)) {
                gen.flush();
            }
        } finally {
            _seenObjectIds = null;
            _objectIdGenerators = null;
            _generator = null;
            _attributes = _config.getAttributes();
        }
    }
}
