package io.libchan.internal.codec.msgpack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;

/**
 * A reader that reads a {@link MsgpackParser} with the deserialization context the parser keeps
 * ({@link io.libchan.internal.codec.ReusedDeserializationContext}) instead of a new one per message;
 * any other parser as the reader it wraps would. Thread-safe, as any {@link ObjectReader}.
 */
final class ContextKeepingReader extends ObjectReader {
    private static final long serialVersionUID = 1L;

    ContextKeepingReader(ObjectReader base) {
        super(base, base.getConfig());
    }

    @Override
    protected DefaultDeserializationContext createDeserializationContext(JsonParser p) {
        if (p instanceof MsgpackParser) {
            return ((MsgpackParser) p).deserializationContext(_context, _config, _injectableValues);
        }
        return super.createDeserializationContext(p);
    }
}
