package io.libchan.internal.convert;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * How a codec writes the values that are not plain data (channels, byte streams, time). Set as
 * the serialization attribute {@link #ATTRIBUTE}; without it (in-memory conversion) such values
 * are passed through as embedded objects.
 */
public interface ReferenceWriter {
    Object ATTRIBUTE = ReferenceWriter.class;

    /** The writer of the encode in progress on this thread, for codecs that reuse one ObjectWriter. */
    ThreadLocal<ReferenceWriter> CURRENT = new ThreadLocal<>();

    /** Writes {@code value}, one of {@link LibchanModule#isSpecial(Object)}'s values, as one JSON value. */
    void write(Object value, JsonGenerator gen) throws IOException;
}
