package io.libchan.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds msgpack bytes by hand, the way Go HEAD writes them (go-peer-wire.md §2, test resources), so the tests
 * state the wire bytes independently of our codec.
 */
final class Msgpack {
    private Msgpack() {
    }

    /** A map of string keys to already-encoded values, in the given order. */
    static byte[] map(Object... keysAndValues) {
        int n = keysAndValues.length / 2;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (n < 16) {
            b.write(0x80 | n);
        } else {
            b.write(0xde);
            b.write(n >>> 8);
            b.write(n);
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.writeBytes(str((String) keysAndValues[i]));
            b.writeBytes((byte[]) keysAndValues[i + 1]);
        }
        return b.toByteArray();
    }

    static byte[] str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (utf8.length < 32) {
            b.write(0xa0 | utf8.length);
        } else if (utf8.length < 256) {
            b.write(0xd9);
            b.write(utf8.length);
        } else if (utf8.length < 65536) {
            b.write(0xda);
            b.write(utf8.length >>> 8);
            b.write(utf8.length);
        } else {
            b.write(0xdb);
            b.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length).array());
        }
        b.writeBytes(utf8);
        return b.toByteArray();
    }

    /** Go's signed int16 form ({@code d1}), as Go HEAD writes 300. */
    static byte[] int16(int v) {
        return new byte[] {(byte) 0xd1, (byte) (v >>> 8), (byte) v};
    }

    /** A HEAD reference: fixext4 with a 4-byte id up to 2^32-1, else fixext8 with 8 bytes. */
    static byte[] ext(int type, long id) {
        if (id >= 0 && id <= 0xFFFFFFFFL) {
            return ByteBuffer.allocate(6).put((byte) 0xd6).put((byte) type).putInt((int) id).array();
        }
        return ext8(type, id);
    }

    /** A reference always in the 8-byte form (fixext8). */
    static byte[] ext8(int type, long id) {
        return ByteBuffer.allocate(10).put((byte) 0xd7).put((byte) type).putLong(id).array();
    }

    /** n nested one-element arrays around a 1. */
    static byte[] nestedArrays(int depth) {
        byte[] b = new byte[depth + 1];
        for (int i = 0; i < depth; i++) {
            b[i] = (byte) 0x91;
        }
        b[depth] = 1;
        return b;
    }
}
