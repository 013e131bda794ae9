package io.libchan.internal.convert;

import java.io.IOException;

/**
 * How a codec turns an embedded value of its format (a msgpack ext value) into the Java object a
 * receiver gets (a {@link io.libchan.Sender}, {@link io.libchan.Receiver},
 * {@link io.libchan.ByteStream} or {@link java.time.Instant}). Set as the deserialization attribute
 * {@link #ATTRIBUTE}; without it embedded objects are taken as they are.
 */
public interface ReferenceReader {
    Object ATTRIBUTE = ReferenceReader.class;

    /** The reader of the decode in progress on this thread, for codecs that reuse one ObjectReader. */
    ThreadLocal<ReferenceReader> CURRENT = new ThreadLocal<>();

    /** Resolves one embedded value; returns other values unchanged. */
    Object resolve(Object embedded) throws IOException;
}
