package io.libchan.internal.codec.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field names a parser has met, so that a name that comes again (every message of a type
 * repeats its names) is the same String, found by its bytes without decoding them or allocating.
 * A small table of the most recent names, each slot overwritten by the next name hashing to it;
 * long names are decoded each time. Not thread-safe: one per parser.
 */
final class FieldNames {
    private static final int SLOTS = 64; // a power of two
    private static final int LONGEST = 64;
    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] names = new String[SLOTS];

    /** The name in UTF-8 at {@code buf[off..off+len)}. */
    String get(byte[] buf, int off, int len) {
        if (len > LONGEST) {
            return new String(buf, off, len, StandardCharsets.UTF_8);
        }
        int h = len;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        byte[] known = bytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, buf, off, off + len)) {
            return names[slot];
        }
        String name = new String(buf, off, len, StandardCharsets.UTF_8);
        bytes[slot] = Arrays.copyOfRange(buf, off, off + len);
        names[slot] = name;
        return name;
    }
}
