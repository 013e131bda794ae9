package io.libchan.internal.codec.msgpack;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.io.SerializedString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Jackson generator that writes msgpack straight into a growable array of its own, for
 * {@link MsgpackCodec}'s encodes only. Reused from encode to encode ({@link #reset()}); not
 * thread-safe.
 *
 * <p>Why by hand: jackson-dataformat-msgpack's {@code MessagePackGenerator} builds a tree of nodes
 * for every message and packs it at the end (it must know a map's size before its entries), and
 * each one allocates a {@code BufferRecycler}, an {@code IOContext} and a {@code MessagePacker}:
 * measured, half of the CPU of a round trip and 5 KB of its 7 KB of garbage (bench/README.md). This
 * one reserves the header byte of a map or array, writes the values after it, and widens the header
 * when the container closes with more than 15 values.
 *
 * <p>Every value is written in the form that {@code MessagePackGenerator} 0.9.10 with its default
 * packer gives (msgpack-core's {@code MessagePacker}), byte for byte: the smallest int form (unsigned
 * forms for non-negative values), float32 for a float and float64 for a double, str8 allowed, bin
 * for binary, fixext for 1/2/4/8/16 data bytes, the smallest map and array headers, a BigDecimal as
 * an integer when it has no fraction and as a double when a double holds it exactly, lone UTF-16
 * surrogates as {@code '?'}. {@code MsgpackGeneratorIdentityTest} holds it to that.
 */
final class MsgpackGenerator extends GeneratorBase implements io.libchan.internal.codec.LentEncoding {
    /** A buffer grown past this for a large message is dropped at {@link #reset()}. */
    private static final int KEEP_AT_MOST = 64 * 1024;
    private static final int INITIAL = 256;

    private byte[] buf = new byte[INITIAL];
    /** Strings up to this long are checked for ASCII in {@link #scratch}; longer ones take the general path. */
    private static final int ASCII_SCRATCH_MAX = 1024;
    /** Chars of the string being written, for {@link #ascii} (grows up to {@link #ASCII_SCRATCH_MAX}). */
    private char[] scratch = new char[128];
    private int count;
    /** Open containers, outermost first: where each header starts, how many bytes it has now, values so far. */
    private int[] starts = new int[8];
    private int[] headerBytes = new int[8];
    private int[] values = new int[8];
    private boolean[] isMap = new boolean[8];
    private int depth;
    private MsgpackCodec writingCodec;
    private io.libchan.spi.EncodeContext writingRefs;
    /** Made with the generator and kept while the mapper makes no new serializer (see its javadoc). */
    private io.libchan.internal.codec.ReusedSerializerProvider serializers;

    MsgpackGenerator(ObjectCodec codec) {
        super(0, codec);
    }

    /** The serializer provider to write the next message with, for {@code mapper} (always the same one). */
    io.libchan.internal.codec.ReusedSerializerProvider serializers(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        io.libchan.internal.codec.ReusedSerializerProvider p = serializers;
        if (p == null || !p.current()) {
            p = io.libchan.internal.codec.ReusedSerializerProvider.of(mapper);
            serializers = p;
        }
        return p;
    }

    /** Ready for the next message: empty, no open container, no value of the last message kept. False: drop this generator (it grew large). */
    boolean reset() {
        count = 0;
        depth = 0;
        assignCurrentValue(null); // the root context must not hold the last message (a class of a deployment)
        return buf.length <= KEEP_AT_MOST;
    }

    /** The message written since the last {@link #reset()}, exactly. */
    @Override
    public byte[] copy() {
        return Arrays.copyOf(buf, count);
    }

    /** The message written since the last {@link #reset()} is {@code array()[0..length())}. */
    @Override
    public byte[] array() {
        return buf;
    }

    @Override
    public int length() {
        return count;
    }

    @Override
    public void giveBack() {
        MsgpackCodec.giveBack(this);
    }

    /** The codec and references of the encode in progress (null between encodes). */
    void writingFor(MsgpackCodec codec, io.libchan.spi.EncodeContext refs) {
        this.writingCodec = codec;
        this.writingRefs = refs;
    }

    MsgpackCodec codec() {
        return writingCodec;
    }

    io.libchan.spi.EncodeContext refs() {
        return writingRefs;
    }

    // ---- containers

    @Override
    public void writeStartArray() {
        open(false, 1);
    }

    @Override
    public void writeStartArray(Object forValue, int size) {
        open(false, headerSize(size));
        assignCurrentValue(forValue);
    }

    @Override
    public void writeStartObject() {
        open(true, 1);
    }

    @Override
    public void writeStartObject(Object forValue, int size) {
        open(true, headerSize(size));
        assignCurrentValue(forValue);
    }

    @Override
    public void writeEndArray() throws java.io.IOException {
        close(false);
    }

    @Override
    public void writeEndObject() throws java.io.IOException {
        close(true);
    }

    /** Reserves {@code reserved} header bytes (the size a hint promises, else 1), fixed at close. */
    private void open(boolean map, int reserved) {
        beforeValue();
        if (depth == starts.length) {
            int n = depth * 2;
            starts = Arrays.copyOf(starts, n);
            headerBytes = Arrays.copyOf(headerBytes, n);
            values = Arrays.copyOf(values, n);
            isMap = Arrays.copyOf(isMap, n);
        }
        ensure(reserved);
        starts[depth] = count;
        headerBytes[depth] = reserved;
        values[depth] = 0;
        isMap[depth] = map;
        depth++;
        count += reserved;
    }

    private void close(boolean map) throws java.io.IOException {
        if (depth == 0 || isMap[depth - 1] != map) {
            _reportError("Current context not " + (map ? "an object" : "an array"));
        }
        depth--;
        int start = starts[depth];
        int n = values[depth];
        int need = headerSize(n);
        int have = headerBytes[depth];
        if (need != have) { // the values move to make room for the header (or close a gap a wrong hint left)
            ensure(need - have);
            System.arraycopy(buf, start + have, buf, start + need, count - start - have);
            count += need - have;
        }
        int at = start;
        if (need == 1) {
            buf[at] = (byte) ((map ? 0x80 : 0x90) | n);
        } else if (need == 3) {
            buf[at] = (byte) (map ? 0xde : 0xdc);
            putShort(at + 1, n);
        } else {
            buf[at] = (byte) (map ? 0xdf : 0xdd);
            putInt(at + 1, n);
        }
    }

    private static int headerSize(int n) {
        return n < 16 ? 1 : n < 65536 ? 3 : 5;
    }

    /** A value (not a field name) begins: it counts in the container around it. */
    private void beforeValue() {
        if (depth > 0) {
            values[depth - 1]++;
        }
    }

    // ---- field names: strings, not counted as values

    @Override
    public void writeFieldName(String name) {
        string(name);
    }

    @Override
    public void writeFieldName(SerializableString name) {
        if (name instanceof SerializedString) {
            byte[] utf8 = name.asUnquotedUTF8(); // kept by Jackson for each property: no encoding per message
            strHeader(utf8.length);
            raw(utf8, 0, utf8.length);
        } else {
            string(name.getValue());
        }
    }

    // ---- scalars

    @Override
    public void writeString(String text) {
        if (text == null) {
            writeNull();
            return;
        }
        beforeValue();
        string(text);
    }

    @Override
    public void writeString(char[] text, int offset, int len) {
        writeString(new String(text, offset, len));
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) {
        writeString(new String(text, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) {
        writeString(new String(text, offset, length, StandardCharsets.UTF_8));
    }

    // raw text has no meaning in msgpack: as jackson-dataformat-msgpack, it becomes a string value
    @Override
    public void writeRaw(String text) {
        writeString(text);
    }

    @Override
    public void writeRaw(String text, int offset, int len) {
        writeString(text.substring(offset, offset + len));
    }

    @Override
    public void writeRaw(char[] text, int offset, int len) {
        writeString(text, offset, len);
    }

    @Override
    public void writeRaw(char c) {
        writeString(String.valueOf(c));
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) {
        beforeValue();
        if (len < (1 << 8)) {
            ensure(2);
            buf[count++] = (byte) 0xc4;
            buf[count++] = (byte) len;
        } else if (len < (1 << 16)) {
            ensure(3);
            buf[count++] = (byte) 0xc5;
            putShort(count, len);
            count += 2;
        } else {
            ensure(5);
            buf[count++] = (byte) 0xc6;
            putInt(count, len);
            count += 4;
        }
        raw(data, offset, len);
    }

    /** An ext value: {@code type} and its data bytes. */
    void writeExtension(byte type, byte[] data) {
        beforeValue();
        int len = data.length;
        ensure(6);
        if (len == 1 || len == 2 || len == 4 || len == 8 || len == 16) {
            buf[count++] = (byte) (len == 1 ? 0xd4 : len == 2 ? 0xd5 : len == 4 ? 0xd6 : len == 8 ? 0xd7 : 0xd8);
        } else if (len < (1 << 8)) {
            buf[count++] = (byte) 0xc7;
            buf[count++] = (byte) len;
        } else if (len < (1 << 16)) {
            buf[count++] = (byte) 0xc8;
            putShort(count, len);
            count += 2;
        } else {
            buf[count++] = (byte) 0xc9;
            putInt(count, len);
            count += 4;
        }
        buf[count++] = type;
        raw(data, 0, len);
    }

    @Override
    public void writeNumber(int v) {
        writeNumber((long) v);
    }

    @Override
    public void writeNumber(long v) {
        beforeValue();
        integer(v);
    }

    @Override
    public void writeNumber(BigInteger v) {
        if (v == null) {
            writeNull();
            return;
        }
        if (!fitsInt(v)) {
            throw new IllegalArgumentException("MessagePack cannot serialize BigInteger larger than 2^64-1");
        }
        beforeValue();
        if (v.bitLength() <= 63) {
            integer(v.longValue());
        } else { // 2^63 .. 2^64-1
            ensure(9);
            buf[count++] = (byte) 0xcf;
            putLong(count, v.longValue());
            count += 8;
        }
    }

    @Override
    public void writeNumber(double v) {
        beforeValue();
        ensure(9);
        buf[count++] = (byte) 0xcb;
        putLong(count, Double.doubleToRawLongBits(v));
        count += 8;
    }

    @Override
    public void writeNumber(float v) {
        beforeValue();
        ensure(5);
        buf[count++] = (byte) 0xca;
        putInt(count, Float.floatToRawIntBits(v));
        count += 4;
    }

    /**
     * An integral decimal within the msgpack int range as an integer, else a double if one holds
     * it exactly, else refused (as jackson-dataformat-msgpack).
     */
    @Override
    public void writeNumber(BigDecimal v) {
        if (v == null) {
            writeNull();
            return;
        }
        try {
            BigInteger integral = v.toBigIntegerExact();
            if (fitsInt(integral)) {
                writeNumber(integral);
                return;
            }
        } catch (ArithmeticException e) {
            // has a fraction: a double
        }
        double d = v.doubleValue();
        if (!v.stripTrailingZeros().toEngineeringString()
                .equals(BigDecimal.valueOf(d).stripTrailingZeros().toEngineeringString())) {
            throw new IllegalArgumentException("MessagePack cannot serialize a BigDecimal that can't be represented as double. " + v);
        }
        writeNumber(d);
    }

    /** A number given as text: the first of long, double, BigInteger, BigDecimal that parses it. */
    @Override
    public void writeNumber(String encoded) {
        try {
            writeNumber(Long.parseLong(encoded));
            return;
        } catch (NumberFormatException ignored) {
            // not a long: try the next form
        }
        try {
            writeNumber(Double.parseDouble(encoded));
            return;
        } catch (NumberFormatException ignored) {
            // not a double
        }
        try {
            writeNumber(new BigInteger(encoded));
            return;
        } catch (NumberFormatException ignored) {
            // not an integer
        }
        writeNumber(new BigDecimal(encoded)); // NumberFormatException if nothing parses it
    }

    @Override
    public void writeBoolean(boolean state) {
        beforeValue();
        ensure(1);
        buf[count++] = (byte) (state ? 0xc3 : 0xc2);
    }

    @Override
    public void writeNull() {
        beforeValue();
        ensure(1);
        buf[count++] = (byte) 0xc0;
    }

    // ---- GeneratorBase

    @Override
    public void flush() {
        // everything is in the array already
    }

    @Override
    protected void _releaseBuffers() {
        // the array is kept for the next message (see reset)
    }

    @Override
    protected void _verifyValueWrite(String typeMsg) {
        // databind drives this generator: values come in a valid order
    }

    // ---- encoding

    private void integer(long v) {
        ensure(9);
        if (v < -(1L << 5)) {
            if (v < -(1L << 31)) {
                buf[count++] = (byte) 0xd3;
                putLong(count, v);
                count += 8;
            } else if (v < -(1L << 15)) {
                buf[count++] = (byte) 0xd2;
                putInt(count, (int) v);
                count += 4;
            } else if (v < -(1L << 7)) {
                buf[count++] = (byte) 0xd1;
                putShort(count, (int) v);
                count += 2;
            } else {
                buf[count++] = (byte) 0xd0;
                buf[count++] = (byte) v;
            }
        } else if (v < (1L << 7)) {
            buf[count++] = (byte) v; // positive or negative fixint
        } else if (v < (1L << 8)) {
            buf[count++] = (byte) 0xcc;
            buf[count++] = (byte) v;
        } else if (v < (1L << 16)) {
            buf[count++] = (byte) 0xcd;
            putShort(count, (int) v);
            count += 2;
        } else if (v < (1L << 32)) {
            buf[count++] = (byte) 0xce;
            putInt(count, (int) v);
            count += 4;
        } else {
            buf[count++] = (byte) 0xcf;
            putLong(count, v);
            count += 8;
        }
    }

    /** Within int64 or uint64: what a msgpack int can hold. */
    private static boolean fitsInt(BigInteger v) {
        return v.bitLength() <= 63 || (v.bitLength() == 64 && v.signum() > 0);
    }

    /** A str value: UTF-8 of {@code s}, a lone surrogate as '?' (as {@code String.getBytes} does). */
    private void string(String s) {
        int n = s.length();
        if (n <= ASCII_SCRATCH_MAX && ascii(s, n)) {
            return;
        }
        int utf8 = utf8Length(s, n);
        strHeader(utf8);
        ensure(utf8);
        byte[] b = buf;
        int p = count;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xf0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    b[p++] = (byte) (0x80 | (cp & 0x3f));
                } else {
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xe0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        count = p;
    }

    /**
     * Writes {@code s} as a str if every char is ASCII (then its UTF-8 is one byte a char), else
     * writes nothing and returns false. Most strings are ASCII: rather than {@code charAt} twice a
     * char (a length pass, then the copy), the chars come out in one bulk copy, one loop checks
     * them and one narrows them (about a tenth off an encode, bench/README.md).
     */
    private boolean ascii(String s, int n) {
        char[] cs = scratch;
        if (cs.length < n) {
            cs = scratch = new char[Math.max(n, Math.min(cs.length * 2, ASCII_SCRATCH_MAX))];
        }
        s.getChars(0, n, cs, 0);
        int any = 0;
        for (int i = 0; i < n; i++) {
            any |= cs[i];
        }
        if (any >= 0x80) {
            return false;
        }
        strHeader(n);
        ensure(n);
        byte[] b = buf;
        int p = count;
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) cs[i];
        }
        count = p + n;
        return true;
    }

    private static int utf8Length(String s, int n) {
        int len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        len += 2; // 4 bytes for 2 chars
                        i++;
                    } // else '?': 1 byte
                } else {
                    len += 2;
                }
            }
        }
        return len;
    }

    private void strHeader(int len) {
        ensure(5);
        if (len < (1 << 5)) {
            buf[count++] = (byte) (0xa0 | len);
        } else if (len < (1 << 8)) {
            buf[count++] = (byte) 0xd9;
            buf[count++] = (byte) len;
        } else if (len < (1 << 16)) {
            buf[count++] = (byte) 0xda;
            putShort(count, len);
            count += 2;
        } else {
            buf[count++] = (byte) 0xdb;
            putInt(count, len);
            count += 4;
        }
    }

    private void raw(byte[] data, int offset, int len) {
        ensure(len);
        System.arraycopy(data, offset, buf, count, len);
        count += len;
    }

    private void ensure(int more) {
        if (buf.length - count < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }

    private void putShort(int at, int v) {
        buf[at] = (byte) (v >> 8);
        buf[at + 1] = (byte) v;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >> 24);
        buf[at + 1] = (byte) (v >> 16);
        buf[at + 2] = (byte) (v >> 8);
        buf[at + 3] = (byte) v;
    }

    private void putLong(int at, long v) {
        putInt(at, (int) (v >> 32));
        putInt(at + 4, (int) v);
    }
}
