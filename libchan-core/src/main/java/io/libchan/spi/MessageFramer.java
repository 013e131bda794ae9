package io.libchan.spi;

/**
 * Finds message boundaries in a byte stream of concatenated messages (Go HEAD sends a channel's
 * messages as one continuous stream, split over frames at arbitrary points). Resumable: it scans
 * each byte once however the bytes arrive. Enforces the size and nesting limits while scanning,
 * so a hostile length prefix fails before anything is allocated for it. Not thread-safe: one per
 * stream.
 */
public interface MessageFramer {
    /**
     * Continues scanning the message that starts at {@code buf[start]}, with bytes available up to
     * {@code end} (exclusive). The same {@code start} must be passed until a message completes.
     *
     * @return the offset just past the completed message (the framer is then ready for the next
     *         one, which starts there), or -1 when more bytes are needed
     * @throws io.libchan.MessageTooLargeException when the message is or declares to be over the limit
     * @throws io.libchan.ProtocolException when the bytes are not a valid message
     */
    int scan(byte[] buf, int start, int end);
}
