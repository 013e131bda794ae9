package io.libchan.internal.spdy;

/**
 * SYN_REPLY: accepts a stream the peer opened. Go sends {@code :status: 200} and never checks
 * what it receives here.
 *
 * @param streamId the stream being accepted
 * @param fin      the acceptor sends nothing after this frame
 * @param headers  the header block
 */
public record SynReplyFrame(int streamId, boolean fin, SpdyHeaders headers) implements SpdyFrame {

    /** @throws IllegalArgumentException if a field does not fit the wire format */
    public SynReplyFrame {
        FrameChecks.streamId("streamId", streamId);
        FrameChecks.notNull("headers", headers);
    }
}
