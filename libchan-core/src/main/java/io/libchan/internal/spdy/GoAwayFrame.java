package io.libchan.internal.spdy;

/**
 * GOAWAY: the sender will accept no new streams above {@code lastGoodStreamId}. Always written
 * in the 8-byte SPDY/3 form; the 4-byte SPDY/2 form is accepted on input with status OK.
 *
 * @param lastGoodStreamId highest peer-opened stream the sender processed, 0 if none
 * @param status           one of the {@code SpdyStatus.GOAWAY_*} codes
 */
public record GoAwayFrame(int lastGoodStreamId, int status) implements SpdyFrame {

    /** @throws IllegalArgumentException if the stream id is negative */
    public GoAwayFrame {
        FrameChecks.streamId("lastGoodStreamId", lastGoodStreamId);
    }

    /** Always 0: GOAWAY belongs to the connection. */
    @Override
    public int streamId() {
        return 0;
    }
}
