package io.libchan.internal.spdy;

/**
 * Status codes carried by RST_STREAM ({@code RST_*}) and GOAWAY ({@code GOAWAY_*}) frames, in
 * one place. Values are the SPDY/3 numbers; unknown codes received from a peer are passed
 * through unchanged, so treat these as well-known values, not an exhaustive set.
 */
public final class SpdyStatus {
    public static final int RST_PROTOCOL_ERROR = 1;
    public static final int RST_INVALID_STREAM = 2;
    public static final int RST_REFUSED_STREAM = 3;
    public static final int RST_UNSUPPORTED_VERSION = 4;
    public static final int RST_CANCEL = 5;
    public static final int RST_INTERNAL_ERROR = 6;
    public static final int RST_FLOW_CONTROL_ERROR = 7;
    public static final int RST_STREAM_IN_USE = 8;
    public static final int RST_STREAM_ALREADY_CLOSED = 9;
    /** 10 (INVALID_CREDENTIALS) belongs to the CREDENTIAL machinery nobody implements. */
    public static final int RST_FRAME_TOO_LARGE = 11;

    public static final int GOAWAY_OK = 0;
    public static final int GOAWAY_PROTOCOL_ERROR = 1;
    public static final int GOAWAY_INTERNAL_ERROR = 2;

    private SpdyStatus() {
    }

    /** Name of an RST_STREAM status for messages and logs; unknown codes are shown as numbers. */
    public static String rstName(int status) {
        return switch (status) {
            case RST_PROTOCOL_ERROR -> "PROTOCOL_ERROR";
            case RST_INVALID_STREAM -> "INVALID_STREAM";
            case RST_REFUSED_STREAM -> "REFUSED_STREAM";
            case RST_UNSUPPORTED_VERSION -> "UNSUPPORTED_VERSION";
            case RST_CANCEL -> "CANCEL";
            case RST_INTERNAL_ERROR -> "INTERNAL_ERROR";
            case RST_FLOW_CONTROL_ERROR -> "FLOW_CONTROL_ERROR";
            case RST_STREAM_IN_USE -> "STREAM_IN_USE";
            case RST_STREAM_ALREADY_CLOSED -> "STREAM_ALREADY_CLOSED";
            case RST_FRAME_TOO_LARGE -> "FRAME_TOO_LARGE";
            default -> "status " + status;
        };
    }

    /** Name of a GOAWAY status for messages and logs; unknown codes are shown as numbers. */
    public static String goAwayName(int status) {
        return switch (status) {
            case GOAWAY_OK -> "OK";
            case GOAWAY_PROTOCOL_ERROR -> "PROTOCOL_ERROR";
            case GOAWAY_INTERNAL_ERROR -> "INTERNAL_ERROR";
            default -> "status " + status;
        };
    }
}
