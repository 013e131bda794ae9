package io.libchan.internal.spdy;

import static io.libchan.internal.spdy.SpdyProtocol.FLAG_CLEAR_SETTINGS;
import static io.libchan.internal.spdy.SpdyProtocol.FLAG_FIN;
import static io.libchan.internal.spdy.SpdyProtocol.FLAG_UNIDIRECTIONAL;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes frames for the outbound side of one connection, one contiguous array per frame so a
 * frame can go out in a single write. Frames are always written in SPDY/3 form. It owns the
 * connection's outbound {@link HeaderBlockCompressor}.
 *
 * <p>Not thread-safe, and order-sensitive: the caller must serialize calls and write the arrays
 * to the wire in the order they were encoded (encode and write under one lock), because frames
 * with headers share one compression stream and the peer inflates them in wire order.
 * Holds native memory until {@link #close()}.
 */
public final class SpdyFrameEncoder implements AutoCloseable {
    private final HeaderBlockCompressor compressor = new HeaderBlockCompressor();
    private boolean closed;

    /**
     * Encodes one frame, header included.
     *
     * @throws IllegalArgumentException if a header block is too large to fit in a frame (see
     *                                  {@link HeaderBlockCompressor#MAX_UNCOMPRESSED})
     * @throws IllegalStateException    if closed
     */
    public byte[] encode(SpdyFrame frame) {
        Objects.requireNonNull(frame, "frame");
        checkOpen();
        if (frame instanceof DataFrame d) {
            return encodeData(d.streamId(), d.fin(), d.data(), 0, d.data().length);
        }
        if (frame instanceof SynStreamFrame s) {
            byte[] block = compressor.compress(s.headers());
            int flags = flag(s.fin(), FLAG_FIN) | flag(s.unidirectional(), FLAG_UNIDIRECTIONAL);
            return control(SpdyProtocol.TYPE_SYN_STREAM, flags, 10 + block.length)
                    .putInt(s.streamId())
                    .putInt(s.associatedStreamId())
                    .put((byte) (s.priority() << 5))
                    .put((byte) 0) // credential slot
                    .put(block)
                    .array();
        }
        if (frame instanceof SynReplyFrame r) {
            return headerFrame(SpdyProtocol.TYPE_SYN_REPLY, r.streamId(), r.fin(), r.headers());
        }
        if (frame instanceof HeadersFrame h) {
            return headerFrame(SpdyProtocol.TYPE_HEADERS, h.streamId(), h.fin(), h.headers());
        }
        if (frame instanceof RstStreamFrame r) {
            return control(SpdyProtocol.TYPE_RST_STREAM, 0, 8)
                    .putInt(r.streamId()).putInt(r.status()).array();
        }
        if (frame instanceof SettingsFrame s) {
            ByteBuffer b = control(SpdyProtocol.TYPE_SETTINGS,
                    flag(s.clearSettings(), FLAG_CLEAR_SETTINGS), 4 + 8 * s.settings().size());
            b.putInt(s.settings().size());
            for (SettingsFrame.Setting e : s.settings()) {
                b.putInt(e.flags() << 24 | e.id()).putInt(e.value());
            }
            return b.array();
        }
        if (frame instanceof PingFrame p) {
            return control(SpdyProtocol.TYPE_PING, 0, 4).putInt(p.id()).array();
        }
        if (frame instanceof GoAwayFrame g) {
            return control(SpdyProtocol.TYPE_GOAWAY, 0, 8)
                    .putInt(g.lastGoodStreamId()).putInt(g.status()).array();
        }
        if (frame instanceof WindowUpdateFrame w) {
            return control(SpdyProtocol.TYPE_WINDOW_UPDATE, 0, 8)
                    .putInt(w.streamId()).putInt(w.deltaWindowSize()).array();
        }
        throw new AssertionError("unhandled frame type " + frame.getClass());
    }

    /**
     * Encodes a DATA frame from part of an array, sparing the caller a {@link DataFrame} and
     * a copy.
     *
     * @throws IllegalArgumentException if {@code length} exceeds
     *                                  {@link SpdyProtocol#MAX_FRAME_LENGTH} (2^24-1), the range
     *                                  is outside {@code data}, or the stream id is negative
     * @throws IllegalStateException    if closed
     */
    public byte[] encodeData(int streamId, boolean fin, byte[] data, int offset, int length) {
        checkOpen();
        FrameChecks.streamId("streamId", streamId);
        if (length > SpdyProtocol.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("invalid data frame: " + length
                    + " bytes is over the SPDY maximum of " + SpdyProtocol.MAX_FRAME_LENGTH);
        }
        try {
            Objects.checkFromIndexSize(offset, length, data.length);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad data range: " + e.getMessage(), e);
        }
        return ByteBuffer.allocate(SpdyProtocol.FRAME_HEADER_LENGTH + length)
                .putInt(streamId)
                .putInt(flag(fin, FLAG_FIN) << 24 | length)
                .put(data, offset, length)
                .array();
    }

    /** Frees the header compressor's native memory; idempotent. */
    @Override
    public void close() {
        closed = true;
        compressor.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SPDY encoder is closed");
        }
    }

    private byte[] headerFrame(int type, int streamId, boolean fin, SpdyHeaders headers) {
        byte[] block = compressor.compress(headers);
        return control(type, flag(fin, FLAG_FIN), 4 + block.length)
                .putInt(streamId).put(block).array();
    }

    /** A buffer sized for the whole frame, with the control frame header already written. */
    private static ByteBuffer control(int type, int flags, int length) {
        // only header frames can grow; MAX_UNCOMPRESSED keeps them well inside the field
        if (length > SpdyProtocol.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException(SpdyProtocol.typeName(type) + " frame of " + length
                    + " bytes is over the SPDY maximum");
        }
        return ByteBuffer.allocate(SpdyProtocol.FRAME_HEADER_LENGTH + length)
                .putInt(0x8000_0000 | SpdyProtocol.VERSION << 16 | type)
                .putInt(flags << 24 | length);
    }

    private static int flag(boolean set, int bit) {
        return set ? bit : 0;
    }
}
