package io.libchan.internal.spdy;

/**
 * One SPDY/3 frame, as decoded by {@link SpdyFrameDecoder} or to be written by
 * {@link SpdyFrameEncoder}. Every implementation is an immutable record (except that
 * {@link DataFrame} does not copy its array) and validates its fields against what the wire can
 * carry, throwing {@link IllegalArgumentException} otherwise.
 */
public sealed interface SpdyFrame permits DataFrame, SynStreamFrame, SynReplyFrame,
        RstStreamFrame, SettingsFrame, PingFrame, GoAwayFrame, HeadersFrame, WindowUpdateFrame {

    /** The stream this frame belongs to, or 0 for connection-level frames. */
    int streamId();
}
