package io.libchan.spi;

/**
 * Finds message boundaries in a byte stream of concatenated messages (Go HEAD sends a channel's
 * messages as one continuous stream, split over frames at arbitrary points). The bytes are fed
 * as they arrive, each exactly once, in pieces of any size; a framer keeps whatever little it needs
 * between pieces (a length prefix split across two of them), never the message itself, so a
 * session can keep a large message in the pieces it came in. Enforces the size and nesting limits
 * while scanning, so a hostile length prefix fails before anything is allocated for it. Not
 * thread-safe: one per stream.
 */
public interface MessageFramer {
    /**
     * Feeds the next bytes of the stream, {@code buf[off..off+len)}, all of which follow the bytes
     * fed before.
     *
     * @return how many of these bytes complete the current message (the framer is then ready for
     *         the next one, which starts right after them), or -1 when all {@code len} bytes
     *         belong to a message that is not finished yet
     * @throws io.libchan.MessageTooLargeException when the message is or declares to be over the limit
     * @throws io.libchan.ProtocolException when the bytes are not a valid message
     */
    int feed(byte[] buf, int off, int len);
}
