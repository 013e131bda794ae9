package io.libchan.internal.spdy;

/**
 * The peer sent something SPDY/3 forbids. Checked, so the one place that reads a connection
 * cannot forget to answer it on the wire.
 *
 * <p>Two kinds, told apart by {@link #isStreamError()}:
 * <ul>
 *   <li><b>connection error</b> ({@link #streamId()} is 0): send GOAWAY with
 *       {@link #goAwayStatus()} and close the connection. The decoder that threw it is unusable
 *       afterwards (header compression state or frame boundaries are lost).</li>
 *   <li><b>stream error</b>: send RST_STREAM({@link #streamId()}, {@link #rstStatus()}) and
 *       carry on; the offending frame was consumed whole and the decoder stays usable.
 *       {@link #goAwayStatus()} still says what to send should the session escalate.</li>
 * </ul>
 * Instances are immutable.
 */
public final class SpdyProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int goAwayStatus;
    private final int streamId;
    private final int rstStatus;

    private SpdyProtocolException(String message, Throwable cause, int goAwayStatus, int streamId,
            int rstStatus) {
        super(message, cause);
        this.goAwayStatus = goAwayStatus;
        this.streamId = streamId;
        this.rstStatus = rstStatus;
    }

    /** A connection error answered by GOAWAY(PROTOCOL_ERROR). */
    public static SpdyProtocolException connectionError(String message) {
        return new SpdyProtocolException(message, null, SpdyStatus.GOAWAY_PROTOCOL_ERROR, 0, 0);
    }

    /** A connection error with a cause, answered by GOAWAY({@code goAwayStatus}). */
    public static SpdyProtocolException connectionError(int goAwayStatus, String message,
            Throwable cause) {
        return new SpdyProtocolException(message, cause, goAwayStatus, 0, 0);
    }

    /**
     * An error confined to one stream, answered by RST_STREAM.
     *
     * @throws IllegalArgumentException if {@code streamId} is not positive
     */
    public static SpdyProtocolException streamError(int streamId, int rstStatus, String message) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("stream error needs a stream id > 0: " + streamId);
        }
        return new SpdyProtocolException(message, null, SpdyStatus.GOAWAY_PROTOCOL_ERROR, streamId,
                rstStatus);
    }

    /** True for an error confined to {@link #streamId()}, false for a connection error. */
    public boolean isStreamError() {
        return streamId != 0;
    }

    /** The stream to reset, or 0 for a connection error. */
    public int streamId() {
        return streamId;
    }

    /** The RST_STREAM status to send; 0 for a connection error. */
    public int rstStatus() {
        return rstStatus;
    }

    /** The GOAWAY status to send when closing the connection because of this error. */
    public int goAwayStatus() {
        return goAwayStatus;
    }
}
