package io.libchan.internal.codec;

/**
 * A message encoded into a buffer the codec lends until the bytes are on their way: the session
 * copies them into the connection's write buffer and then gives the buffer back, instead of the
 * codec first copying them into an array of their exact size. Not thread-safe: one owner at a
 * time, and nobody touches it after {@link #giveBack()}.
 */
public interface LentEncoding {
    /** The array holding the message in {@code [0, length())}; it may be longer. */
    byte[] array();

    int length();

    /** The message in an array of its own (for a sender that keeps it longer than one write). */
    byte[] copy();

    /** The bytes were written or copied: the buffer may hold the next message. Once. */
    void giveBack();

    /** A codec that can lend its encoding ({@link MessageCodecs}' msgpack codec does). */
    interface Lending {
        /**
         * As {@link io.libchan.spi.MessageCodec#encode}, into a lent buffer: the caller gives it
         * back once the bytes are written, or simply drops it when a write failed half-way.
         */
        LentEncoding encodeLent(Object message, io.libchan.spi.EncodeContext refs);
    }
}
