package io.libchan.spi;

/**
 * Turns messages into bytes and back, with nested references delegated to the session
 * ("any serialization format can be plugged in"). Implementations are thread-safe and hold no
 * per-session state; a session keeps one codec and one {@link MessageFramer} per stream.
 */
public interface MessageCodec {

    /** The codec's name, e.g. {@code msgpack} or {@code json}. */
    String name();

    /**
     * Encodes one message. Every nested value is passed to {@code refs} in order, before this returns.
     *
     * @throws io.libchan.MessageTooLargeException when the result is over the limit
     * @throws io.libchan.MessageTypeException when the message cannot be encoded
     */
    byte[] encode(Object message, EncodeContext refs);

    /**
     * Whether this codec writes a {@link Reference#traceparent()} into the reference and reads it
     * back (PROTOCOL.md section 8, {@code traced-refs}): then a traced reply channel between Java
     * peers needs no SYN_STREAM of its own. False unless a codec says otherwise.
     */
    default boolean carriesTraceparents() {
        return false;
    }

    /** A new framer for one stream of concatenated messages. */
    MessageFramer newFramer();

    /**
     * Decodes one whole message into {@code type} ({@code Object.class}: the untyped form),
     * resolving nested references through {@code refs}.
     *
     * @throws io.libchan.ProtocolException when the bytes are not a valid message
     * @throws io.libchan.MessageTypeException when the message does not fit {@code type}
     */
    <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs);

    /**
     * As {@link #decode}, for bytes this codec's own {@link MessageFramer} delimited (a session's
     * channel): a codec may skip checks the framer already made.
     */
    default <T> T decodeFramed(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        return decode(buf, off, len, type, refs);
    }

    /**
     * As {@link #decodeFramed(byte[], int, int, Class, DecodeContext)}, for a message that arrived
     * in blocks (a session keeps a large message in the pieces it came in rather than in one
     * array): their concatenation, every block full but the last, {@code length} bytes in all. The
     * default joins them; a codec that parses streams may read them where they lie.
     */
    default <T> T decodeFramed(byte[][] blocks, int length, Class<T> type, DecodeContext refs) {
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] b : blocks) {
            int n = Math.min(b.length, length - at);
            System.arraycopy(b, 0, joined, at, n);
            at += n;
        }
        return decodeFramed(joined, 0, length, type, refs);
    }
}
