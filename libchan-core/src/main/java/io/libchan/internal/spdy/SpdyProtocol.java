package io.libchan.internal.spdy;

/**
 * Wire constants of SPDY/3 framing as spoken by Go libchan: the version, the control frame type
 * numbers, the flag bits and the size fields. The single place for these numbers; holds no
 * state.
 */
public final class SpdyProtocol {
    /** The only version we speak; frames of any other version are a connection error. */
    public static final int VERSION = 3;

    /** Length of every frame header, control or data. */
    public static final int FRAME_HEADER_LENGTH = 8;

    /** Largest payload the 24-bit length field can express (16 MiB - 1). */
    public static final int MAX_FRAME_LENGTH = 0xFF_FFFF;

    /** Mask for 31-bit stream ids; the top bit is reserved and ignored on input. */
    public static final int STREAM_ID_MASK = 0x7FFF_FFFF;

    public static final int TYPE_SYN_STREAM = 1;
    public static final int TYPE_SYN_REPLY = 2;
    public static final int TYPE_RST_STREAM = 3;
    public static final int TYPE_SETTINGS = 4;
    /** Type 5 was NOOP in SPDY/2; SPDY/3 dropped it, so we skip it like any unknown type. */
    public static final int TYPE_PING = 6;
    public static final int TYPE_GOAWAY = 7;
    public static final int TYPE_HEADERS = 8;
    public static final int TYPE_WINDOW_UPDATE = 9;
    /** Parsed by nobody: SPDY/3 says ignore it, and we skip it unread. */
    public static final int TYPE_CREDENTIAL = 10;

    /** DATA, SYN_STREAM, SYN_REPLY, HEADERS: last frame of this direction of the stream. */
    public static final int FLAG_FIN = 0x01;
    /** SYN_STREAM: the recipient may not send on this stream. */
    public static final int FLAG_UNIDIRECTIONAL = 0x02;
    /** SETTINGS: drop previously persisted settings. */
    public static final int FLAG_CLEAR_SETTINGS = 0x01;

    private SpdyProtocol() {
    }

    /** Human-readable name of a control frame type, for error messages and logs. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_SYN_STREAM -> "SYN_STREAM";
            case TYPE_SYN_REPLY -> "SYN_REPLY";
            case TYPE_RST_STREAM -> "RST_STREAM";
            case TYPE_SETTINGS -> "SETTINGS";
            case TYPE_PING -> "PING";
            case TYPE_GOAWAY -> "GOAWAY";
            case TYPE_HEADERS -> "HEADERS";
            case TYPE_WINDOW_UPDATE -> "WINDOW_UPDATE";
            case TYPE_CREDENTIAL -> "CREDENTIAL";
            default -> "type " + type;
        };
    }
}
