package io.libchan.internal.spdy;

/**
 * RST_STREAM: abnormal termination of a stream. Go's {@code Reset()} sends
 * {@link SpdyStatus#RST_CANCEL}.
 *
 * @param streamId the stream to terminate
 * @param status   one of the {@code SpdyStatus.RST_*} codes (unknown codes are kept as is)
 */
public record RstStreamFrame(int streamId, int status) implements SpdyFrame {

    /** @throws IllegalArgumentException if the stream id is negative */
    public RstStreamFrame {
        FrameChecks.streamId("streamId", streamId);
    }
}
