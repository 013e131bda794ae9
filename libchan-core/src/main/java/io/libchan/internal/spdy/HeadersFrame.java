package io.libchan.internal.spdy;

/**
 * HEADERS: more headers on an open stream. Decoded for completeness; never send it to a Go peer
 * (it blocks one of Go's frame workers until the stream closes).
 *
 * @param streamId the stream
 * @param fin      last frame of this direction of the stream
 * @param headers  the header block
 */
public record HeadersFrame(int streamId, boolean fin, SpdyHeaders headers) implements SpdyFrame {

    /** @throws IllegalArgumentException if a field does not fit the wire format */
    public HeadersFrame {
        FrameChecks.streamId("streamId", streamId);
        FrameChecks.notNull("headers", headers);
    }
}
