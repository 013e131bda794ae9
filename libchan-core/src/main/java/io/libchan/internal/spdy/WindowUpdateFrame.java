package io.libchan.internal.spdy;

/**
 * WINDOW_UPDATE: SPDY/3 flow control credit. Go libchan neither sends nor honours it, so a
 * session may ignore it; it is decoded so that it can be skipped knowingly.
 *
 * @param streamId         the stream, or 0 for the SPDY/3.1 connection window
 * @param deltaWindowSize  bytes of credit, 1..2^31-1 on the wire
 */
public record WindowUpdateFrame(int streamId, int deltaWindowSize) implements SpdyFrame {

    /** @throws IllegalArgumentException if a field is negative */
    public WindowUpdateFrame {
        FrameChecks.streamId("streamId", streamId);
        if (deltaWindowSize < 0) {
            throw new IllegalArgumentException("deltaWindowSize is negative: " + deltaWindowSize);
        }
    }
}
