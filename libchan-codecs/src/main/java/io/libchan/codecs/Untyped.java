package io.libchan.codecs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.libchan.internal.codec.CodecErrors;
import io.libchan.internal.codec.NoThreadLocals;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.internal.convert.ReferenceWriter;
import java.io.IOException;

/**
 * A message as Jackson's token stream, for codecs that write their format themselves: records,
 * POJOs and maps become objects as msgpack would write them, and the values that are not plain data
 * (channels, byte streams, time, binary) come as embedded objects, left to the codec. Thread-safe.
 */
public final class Untyped {
    private static final ObjectMapper MAPPER = MessageConverter.configure(JsonMapper.builder(NoThreadLocals.json())).build();
    private static final ReferenceWriter EMBED = (value, gen) -> gen.writeEmbeddedObject(value);

    private Untyped() {
    }

    /** The tokens of {@code message}, positioned before its first. */
    public static JsonParser tokens(Object message) {
        TokenBuffer buffer = new TokenBuffer(MAPPER, false);
        try {
            MAPPER.writer().withAttribute(ReferenceWriter.ATTRIBUTE, EMBED).writeValue(buffer, message);
        } catch (IOException e) {
            throw CodecErrors.encode(message, e);
        }
        return buffer.asParser(MAPPER);
    }
}
