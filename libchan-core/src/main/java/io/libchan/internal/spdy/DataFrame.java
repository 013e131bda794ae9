package io.libchan.internal.spdy;

import java.util.Arrays;

/**
 * A DATA frame. {@code data} is not copied in either direction: the decoder hands over a fresh
 * array that the receiver owns, and a sender must not modify the array after building the frame.
 * Equality compares the array contents.
 *
 * @param streamId the stream, 1..2^31-1 on the wire (0 is accepted here but refused by peers)
 * @param fin      last frame of this direction of the stream (an empty FIN frame is a close)
 * @param data     the payload, at most {@link SpdyProtocol#MAX_FRAME_LENGTH} bytes
 */
public record DataFrame(int streamId, boolean fin, byte[] data) implements SpdyFrame {
    private static final byte[] EMPTY = new byte[0];

    /** @throws IllegalArgumentException if a field does not fit the wire format */
    public DataFrame {
        FrameChecks.streamId("streamId", streamId);
        FrameChecks.notNull("data", data);
        if (data.length > SpdyProtocol.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("invalid data frame: " + data.length
                    + " bytes is over the SPDY maximum of " + SpdyProtocol.MAX_FRAME_LENGTH);
        }
    }

    /** The empty DATA frame with FIN that closes the sending side of a stream. */
    public static DataFrame fin(int streamId) {
        return new DataFrame(streamId, true, EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataFrame d && d.streamId == streamId && d.fin == fin
                && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return (streamId * 31 + Boolean.hashCode(fin)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DataFrame[streamId=" + streamId + ", fin=" + fin + ", length=" + data.length + "]";
    }
}
