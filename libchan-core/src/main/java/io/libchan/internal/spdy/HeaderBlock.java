package io.libchan.internal.spdy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The uncompressed SPDY/3 header block: {@code count(32)}, then per header
 * {@code name-len(32) name value-len(32) value}. Stateless.
 */
final class HeaderBlock {
    private HeaderBlock() {
    }

    /** Serializes headers; their invariants (lowercase, unique, non-empty names) already hold. */
    static byte[] encode(SpdyHeaders headers) {
        List<SpdyHeaders.Header> list = headers.asList();
        byte[][] parts = new byte[list.size() * 2][];
        int size = 4;
        for (int i = 0; i < list.size(); i++) {
            parts[2 * i] = list.get(i).name().getBytes(StandardCharsets.UTF_8);
            parts[2 * i + 1] = list.get(i).value().getBytes(StandardCharsets.UTF_8);
            size = Math.addExact(size, 8 + parts[2 * i].length + parts[2 * i + 1].length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(list.size());
        for (byte[] part : parts) {
            out.putInt(part.length).put(part);
        }
        return out.array();
    }

    /**
     * Parses {@code block[0, length)}. Any malformation is a connection error: the block came
     * through the shared compression context, so the peer's encoder is broken.
     */
    static SpdyHeaders parse(byte[] block, int length, int maxCount) throws SpdyProtocolException {
        ByteBuffer in = ByteBuffer.wrap(block, 0, length);
        long count = readLength(in, "header count");
        if (count > maxCount) {
            throw error("too many headers: " + count + " (limit " + maxCount + ")");
        }
        // each header needs at least its two length fields; catches absurd counts early
        if (count * 8 > in.remaining()) {
            throw error("header count " + count + " runs past the end of the block");
        }
        List<SpdyHeaders.Header> headers = new ArrayList<>((int) count);
        Set<String> seen = count > SMALL ? new HashSet<>() : null; // a few names are compared one by one
        for (int i = 0; i < count; i++) {
            String name = readName(in);
            if (seen != null ? !seen.add(name) : contains(headers, name)) {
                throw error("duplicate header name: " + name);
            }
            headers.add(new SpdyHeaders.Header(name, readString(in, "header value")));
        }
        if (in.hasRemaining()) {
            throw error(in.remaining() + " stray bytes after the last header");
        }
        return SpdyHeaders.ofChecked(headers);
    }

    /** Header counts up to this are checked for duplicates without a set. */
    private static final int SMALL = 8;

    private static boolean contains(List<SpdyHeaders.Header> headers, String name) {
        for (SpdyHeaders.Header h : headers) {
            if (h.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Names every libchan stream carries: read as these very strings, with no copy and no check to make. */
    private static final String[] KNOWN_NAMES = {"libchan-ref", "libchan-parent-ref", ":status", "libchan-ext"};
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN_NAMES.length][];

    static {
        for (int i = 0; i < KNOWN_NAMES.length; i++) {
            KNOWN_BYTES[i] = KNOWN_NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static String readName(ByteBuffer in) throws SpdyProtocolException {
        int at = in.position();
        if (in.remaining() >= 4) {
            long n = in.getInt(at) & 0xFFFF_FFFFL;
            for (int k = 0; k < KNOWN_BYTES.length; k++) {
                byte[] known = KNOWN_BYTES[k];
                if (n == known.length && in.remaining() >= 4 + known.length
                        && java.util.Arrays.equals(in.array(), in.arrayOffset() + at + 4, in.arrayOffset() + at + 4 + known.length,
                                known, 0, known.length)) {
                    in.position(at + 4 + known.length);
                    return KNOWN_NAMES[k];
                }
            }
        }
        String name = readString(in, "header name");
        if (name.isEmpty()) {
            throw error("empty header name");
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            throw error("header name is not lowercase: " + name);
        }
        return name;
    }

    private static String readString(ByteBuffer in, String what) throws SpdyProtocolException {
        long n = readLength(in, what + " length");
        if (n > in.remaining()) {
            throw error(what + " length " + n + " runs past the end of the block");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), (int) n,
                StandardCharsets.UTF_8);
        in.position(in.position() + (int) n);
        return s;
    }

    private static long readLength(ByteBuffer in, String what) throws SpdyProtocolException {
        if (in.remaining() < 4) {
            throw error(what + " runs past the end of the block");
        }
        return in.getInt() & 0xFFFF_FFFFL;
    }

    private static SpdyProtocolException error(String message) {
        return SpdyProtocolException.connectionError("invalid header block: " + message);
    }
}
