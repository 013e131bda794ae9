package io.libchan.internal.spdy;

/**
 * SYN_STREAM: opens a stream. The wire's 8-bit credential slot is always written as 0 and
 * ignored on input, so it is not represented.
 *
 * @param streamId           the new stream, 1..2^31-1 (odd from the client, even from the server)
 * @param associatedStreamId the stream this one relates to, 0 for none (Go HEAD always sends 0)
 * @param priority           0 (highest) .. 7
 * @param fin                the opener sends nothing after this frame
 * @param unidirectional     the recipient may not send on this stream
 * @param headers            the header block
 */
public record SynStreamFrame(int streamId, int associatedStreamId, int priority, boolean fin,
        boolean unidirectional, SpdyHeaders headers) implements SpdyFrame {

    /** @throws IllegalArgumentException if a field does not fit the wire format */
    public SynStreamFrame {
        FrameChecks.streamId("streamId", streamId);
        FrameChecks.streamId("associatedStreamId", associatedStreamId);
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("priority must be in 0..7: " + priority);
        }
        FrameChecks.notNull("headers", headers);
    }

    /** The usual opening frame: no association, priority 0, bidirectional, not FIN. */
    public static SynStreamFrame open(int streamId, SpdyHeaders headers) {
        return new SynStreamFrame(streamId, 0, 0, false, false, headers);
    }
}
