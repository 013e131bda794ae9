package io.libchan.internal.session;

import io.libchan.Dialect;
import io.libchan.internal.spdy.SpdyHeaders;

/**
 * What differs between the two dialects on the session level (PROTOCOL.md, "Sessions"):
 * how top-level streams are marked, reference numbering, and the SYN_REPLY headers.
 */
final class DialectRules {
    static final String REF = "libchan-ref";
    static final String PARENT_REF = "libchan-parent-ref";
    static final String CHANNEL = "libchan-channel";
    static final String EXT = "libchan-ext";
    /** On a stream that carries a passed file descriptor (our extension). */
    static final String FD = "libchan-fd";
    /** On a client's first top-level stream: {@code Bearer <token>} (PROTOCOL.md section 4.6). */
    static final String AUTHORIZATION = "authorization";
    /** Our extensions, offered on the first top-level stream; Go and jschan ignore the header. */
    static final String EXT_FLOW_CONTROL = "flow-control";
    static final String EXT_FD_PASSING = "fd-passing";
    static final String EXT_CHANNEL_NAMES = "channel-names";
    /** The side that lists it sends every header block after its first as stored deflate blocks. */
    static final String EXT_STORED_HEADERS = "stored-headers";
    /** The side that lists it takes DATA on the nested streams it opens with no SYN_REPLY before. */
    static final String EXT_IMPLICIT_REPLY = "implicit-reply";
    /**
     * The side that lists it takes, from a peer that lists it too, nested streams opened by the
     * reference alone: a Sender given away opens no SYN_STREAM, its reference is
     * {@link #IMPLICIT_REF} plus the stream id, and the receiver creates the stream when it
     * decodes that reference.
     */
    static final String EXT_IMPLICIT_OPEN = "implicit-open";
    /**
     * Listed by both sides, beside {@link #EXT_IMPLICIT_OPEN}: a reply channel
     * opened in a trace other than its carrier's is still opened by its reference alone, the
     * reference carrying its traceparent when the session's codec can (PROTOCOL.md section 8).
     */
    static final String EXT_TRACED_REFS = "traced-refs";
    /** Marks a reference that names a stream opened implicitly; the low 31 bits are its stream id. */
    static final long IMPLICIT_REF = 0x8000_0000L;
    /** jschan (node-spdy) cannot take a DATA frame over about 64 KiB; one message is one frame. */
    static final int JSCHAN_MAX_MESSAGE = 64 * 1024 - 1;
    /** The SPDY DATA frame header: a message to a v0.1.0 peer is one frame of at most 2^24-1 bytes after it. */
    static final int DATA_HEAD = 8;

    private DialectRules() {
    }

    /** True when a {@code libchan-ext} value lists {@code extension} (comma-separated names). */
    static boolean lists(String ext, String extension) {
        for (String e : ext.split(",")) {
            if (e.trim().equals(extension)) {
                return true;
            }
        }
        return false;
    }

    /** True for a reference that opens its stream implicitly (see {@link #EXT_IMPLICIT_OPEN}). */
    static boolean isImplicitRef(long ref) {
        return (ref & ~0x7fff_ffffL) == IMPLICIT_REF;
    }

    /**
     * Guesses the dialect of a peer from the first SYN_STREAM it sent: node-spdy (jschan) adds the
     * HTTP headers {@code :method} and {@code :path}, Go v0.1.0 only writes {@code libchan-parent-ref: 0}.
     */
    static Dialect detect(SpdyHeaders headers) {
        if (headers.get(":method") != null || headers.get(":path") != null) {
            return Dialect.JSCHAN;
        }
        if ("0".equals(headers.get(PARENT_REF))) {
            return Dialect.V0_1_0;
        }
        return Dialect.HEAD;
    }

    /** True for a top-level channel: HEAD marks none, v0.1.0 writes parent-ref 0. */
    static boolean isTopLevel(Dialect dialect, SpdyHeaders headers) {
        String parent = headers.get(PARENT_REF);
        if (dialect == Dialect.V0_1_0) {
            return "0".equals(parent);
        }
        return parent == null || parent.isEmpty() || "0".equals(parent);
    }

    /** The first reference id a side hands out: HEAD 2 on both sides; v0.1.0 1 for clients, 2 for servers. */
    static long firstRef(Dialect dialect, boolean server) {
        return dialect == Dialect.V0_1_0 && !server ? 1 : 2;
    }

    /** The step between reference ids: 1 in HEAD, 2 in v0.1.0 (odd client ids, even server ids). */
    static long refStep(Dialect dialect) {
        return dialect == Dialect.V0_1_0 ? 2 : 1;
    }

    /** SYN_REPLY headers: Go HEAD sends {@code :status: 200}; node-spdy needs a status text and a version. */
    static SpdyHeaders reply(Dialect dialect, String ext) {
        SpdyHeaders.Builder b = SpdyHeaders.builder();
        if (dialect == Dialect.V0_1_0) {
            b.add(":status", "200 OK").add(":version", "HTTP/1.1");
        } else {
            b.add(":status", "200");
        }
        if (ext != null) {
            b.add(EXT, ext);
        }
        return b.build();
    }

    /** The token of an {@code authorization: Bearer <token>} header, or null (no header, another scheme, no token). */
    static String bearerToken(io.libchan.internal.spdy.SpdyHeaders h) {
        String value = h.get(AUTHORIZATION);
        if (value == null || value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
