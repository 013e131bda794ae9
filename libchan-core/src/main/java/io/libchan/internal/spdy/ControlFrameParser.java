package io.libchan.internal.spdy;

import static io.libchan.internal.spdy.SpdyProtocol.FLAG_CLEAR_SETTINGS;
import static io.libchan.internal.spdy.SpdyProtocol.FLAG_FIN;
import static io.libchan.internal.spdy.SpdyProtocol.FLAG_UNIDIRECTIONAL;
import static io.libchan.internal.spdy.SpdyProtocol.STREAM_ID_MASK;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_GOAWAY;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_HEADERS;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_PING;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_RST_STREAM;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_SETTINGS;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_SYN_REPLY;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_SYN_STREAM;
import static io.libchan.internal.spdy.SpdyProtocol.TYPE_WINDOW_UPDATE;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the payload of a known control frame into a frame record. Lengths are checked from the
 * frame header alone ({@link #checkLength}) so a bad frame fails before its payload is buffered.
 * Stateless apart from the decompressor it is handed.
 */
final class ControlFrameParser {
    private ControlFrameParser() {
    }

    /** Control types we decode; the rest (CREDENTIAL, NOOP, unknown) are skipped. */
    static boolean isKnown(int type) {
        return switch (type) {
            case TYPE_SYN_STREAM, TYPE_SYN_REPLY, TYPE_RST_STREAM, TYPE_SETTINGS, TYPE_PING,
                    TYPE_GOAWAY, TYPE_HEADERS, TYPE_WINDOW_UPDATE -> true;
            default -> false;
        };
    }

    /** Rejects a payload length that no valid frame of this known type can have. */
    static void checkLength(int type, int length) throws SpdyProtocolException {
        boolean ok = switch (type) {
            case TYPE_SYN_STREAM -> length >= 10;
            case TYPE_SYN_REPLY, TYPE_HEADERS -> length >= 4;
            case TYPE_RST_STREAM, TYPE_WINDOW_UPDATE -> length == 8;
            case TYPE_SETTINGS -> length >= 4 && (length - 4) % 8 == 0;
            case TYPE_PING -> length == 4;
            // 4 bytes is the SPDY/2 layout without a status; harmless to accept
            case TYPE_GOAWAY -> length == 8 || length == 4;
            default -> throw new IllegalArgumentException("not a known control type: " + type);
        };
        if (!ok) {
            throw SpdyProtocolException.connectionError("invalid " + SpdyProtocol.typeName(type)
                    + " frame: length " + length);
        }
    }

    /** Parses a payload whose length already passed {@link #checkLength}. */
    static SpdyFrame parse(int type, int flags, byte[] payload, HeaderBlockDecompressor headers)
            throws SpdyProtocolException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        boolean fin = (flags & FLAG_FIN) != 0;
        switch (type) {
            case TYPE_SYN_STREAM: {
                int streamId = nonZeroStreamId(in, type);
                int associated = in.getInt() & STREAM_ID_MASK;
                int priority = (in.get() & 0xFF) >>> 5;
                in.get(); // credential slot: unused without CREDENTIAL frames
                return new SynStreamFrame(streamId, associated, priority, fin,
                        (flags & FLAG_UNIDIRECTIONAL) != 0, headerBlock(payload, 10, headers));
            }
            case TYPE_SYN_REPLY:
                return new SynReplyFrame(nonZeroStreamId(in, type), fin,
                        headerBlock(payload, 4, headers));
            case TYPE_HEADERS:
                return new HeadersFrame(nonZeroStreamId(in, type), fin,
                        headerBlock(payload, 4, headers));
            case TYPE_RST_STREAM:
                return new RstStreamFrame(nonZeroStreamId(in, type), in.getInt());
            case TYPE_SETTINGS:
                return settings(in, (flags & FLAG_CLEAR_SETTINGS) != 0);
            case TYPE_PING:
                return new PingFrame(in.getInt());
            case TYPE_GOAWAY: {
                int lastGood = in.getInt() & STREAM_ID_MASK;
                int status = in.hasRemaining() ? in.getInt() : SpdyStatus.GOAWAY_OK;
                return new GoAwayFrame(lastGood, status);
            }
            case TYPE_WINDOW_UPDATE:
                return windowUpdate(in);
            default:
                throw new IllegalArgumentException("not a known control type: " + type);
        }
    }

    private static SpdyHeaders headerBlock(byte[] payload, int offset,
            HeaderBlockDecompressor headers) throws SpdyProtocolException {
        return headers.decompress(payload, offset, payload.length - offset);
    }

    private static int nonZeroStreamId(ByteBuffer in, int type) throws SpdyProtocolException {
        int id = in.getInt() & STREAM_ID_MASK;
        if (id == 0) {
            throw SpdyProtocolException.connectionError(SpdyProtocol.typeName(type)
                    + " frame on stream 0");
        }
        return id;
    }

    private static SettingsFrame settings(ByteBuffer in, boolean clear)
            throws SpdyProtocolException {
        long count = in.getInt() & 0xFFFF_FFFFL;
        if (count * 8 != in.remaining()) {
            throw SpdyProtocolException.connectionError("invalid SETTINGS frame: " + count
                    + " entries in " + (in.remaining() + 4) + " bytes");
        }
        List<SettingsFrame.Setting> settings = new ArrayList<>((int) count);
        while (in.hasRemaining()) {
            int flagsAndId = in.getInt();
            settings.add(new SettingsFrame.Setting(flagsAndId & 0xFF_FFFF, flagsAndId >>> 24,
                    in.getInt()));
        }
        return new SettingsFrame(clear, settings);
    }

    private static WindowUpdateFrame windowUpdate(ByteBuffer in) throws SpdyProtocolException {
        int streamId = in.getInt() & STREAM_ID_MASK;
        int delta = in.getInt() & STREAM_ID_MASK;
        if (delta == 0) {
            // SPDY/3 allows 1..2^31-1; the frame was consumed whole, so only the stream suffers
            if (streamId == 0) {
                throw SpdyProtocolException.connectionError("WINDOW_UPDATE with delta 0");
            }
            throw SpdyProtocolException.streamError(streamId, SpdyStatus.RST_PROTOCOL_ERROR,
                    "WINDOW_UPDATE with delta 0 on stream " + streamId);
        }
        return new WindowUpdateFrame(streamId, delta);
    }
}
