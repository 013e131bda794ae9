package io.libchan.internal.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.libchan.BytePipe;
import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.internal.convert.ReferenceWriter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackExtensionType;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackGenerator;

/**
 * Not one byte on the wire changed when our {@link MsgpackGenerator} replaced
 * jackson-dataformat-msgpack's generator: a broad corpus of messages, encoded by the codec and by
 * the old path (jackson-dataformat-msgpack's {@code MessagePackGenerator} under the same mapper
 * settings, references written as {@code MessagePackExtensionType} exactly as the codec did),
 * gives the same bytes in both dialects, and the session sees the same references in the same order.
 */
class MsgpackGeneratorIdentityTest {
    private static final ObjectMapper OLD = MessageConverter.configure(JsonMapper.builder(new MessagePackFactory())).build();

    record Reply(String body) {
    }

    record Request(String cmd, Object ret) {
    }

    record Everything(String s, int i, long l, short sh, byte b, double d, float f, boolean t, Boolean none,
            byte[] bin, int[] ints, long[] longs, char[] chars, List<Object> list, Map<String, Object> map,
            BigInteger big, BigDecimal dec, Kind kind, UUID id, Reply nested, Object ref, Instant when) {
    }

    enum Kind { ONE, TWO }

    @Test
    void scalarsAtEveryFormBoundaryEncodeAsBefore() {
        List<Object> corpus = new ArrayList<>();
        corpus.add(null);
        corpus.add(true);
        corpus.add(false);
        long[] edges = {0, 1, 31, 32, 127, 128, 255, 256, 32767, 32768, 65535, 65536, 0x7fffffffL, 0x80000000L,
            0xffffffffL, 0x100000000L, Long.MAX_VALUE, -1, -31, -32, -33, -127, -128, -129, -255, -256, -32767,
            -32768, -32769, -65536, Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE};
        for (long v : edges) {
            corpus.add(v);
            if (v == (int) v) {
                corpus.add((int) v);
            }
            if (v == (short) v) {
                corpus.add((short) v);
            }
            if (v == (byte) v) {
                corpus.add((byte) v);
            }
            corpus.add(BigInteger.valueOf(v));
            corpus.add(BigDecimal.valueOf(v));
        }
        corpus.add(BigInteger.ONE.shiftLeft(63));
        corpus.add(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        corpus.add(new BigDecimal("1.5"));
        corpus.add(new BigDecimal("0.1"));
        corpus.add(new BigDecimal("10.000"));
        corpus.add(new BigDecimal("1E+30")); // integral but past uint64: a double
        corpus.add(new BigDecimal("18446744073709551615.0"));
        for (double d : new double[] {0.0, -0.0, 1.5, -1e300, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            corpus.add(d);
            corpus.add((float) d);
        }
        for (int n : new int[] {0, 1, 31, 32, 255, 256, 511, 512, 513, 65535, 65536, 70000}) {
            corpus.add("x".repeat(n));
            corpus.add(new byte[n]);
        }
        // the ASCII path (strings up to 1,024 chars) and its way out: a non-ASCII char anywhere
        corpus.add("x".repeat(1024));
        corpus.add("x".repeat(1025));
        corpus.add("x".repeat(40) + "\u007f");
        corpus.add("x".repeat(40) + "\u0080");
        corpus.add("x".repeat(1023) + "é");
        corpus.add("\u00ff" + "x".repeat(20));
        corpus.add("é".repeat(200)); // 400 bytes from 200 chars
        corpus.add("日".repeat(100));
        corpus.add("日".repeat(600)); // 1,800 bytes from 600 chars
        corpus.add("日".repeat(30000)); // 90,000 bytes from 30,000 chars: str32
        corpus.add("é".repeat(40000));
        corpus.add("a\uD83D\uDE00b"); // a pair: 4 bytes
        corpus.add("\uD800"); // lone surrogates: '?'
        corpus.add("a\uDC00b\uD800");
        corpus.add("\uD800x".repeat(600)); // lone surrogates past the short-string path
        corpus.add("\uD83D\uDE00".repeat(300));
        corpus.add('c');
        corpus.add(Kind.TWO);
        corpus.add(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        for (Object value : corpus) {
            for (Dialect dialect : List.of(Dialect.HEAD, Dialect.V0_1_0)) {
                assertSameBytes(dialect, value);
                assertSameBytes(dialect, List.of(value == null ? "null" : value));
                Map<String, Object> inMap = new LinkedHashMap<>();
                inMap.put("k", value);
                assertSameBytes(dialect, inMap);
            }
        }
    }

    @Test
    void containersOfEverySizeAndNestingEncodeAsBefore() {
        List<Object> corpus = new ArrayList<>();
        corpus.add(List.of());
        corpus.add(Map.of());
        corpus.add(new Object[0]);
        corpus.add(new LinkedHashSet<>(List.of("a", "b")));
        for (int n : new int[] {1, 15, 16, 17, 255, 256, 65535, 65536}) {
            List<Object> list = new ArrayList<>();
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                list.add(i % 3 == 0 ? i : i % 3 == 1 ? "v" + i : List.of(i));
                map.put("key" + i, i % 2 == 0 ? i : Map.of("in", i));
            }
            corpus.add(list);
            corpus.add(map);
            corpus.add(list.toArray());
            corpus.add(new int[n]);
        }
        Map<Integer, String> intKeys = new TreeMap<>(Map.of(1, "one", -5, "minus five", 300, "x"));
        corpus.add(intKeys);
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> at = deep;
        for (int i = 0; i < 20; i++) { // 16 and more entries at several depths
            Map<String, Object> inner = new LinkedHashMap<>();
            for (int k = 0; k < i; k++) {
                at.put("f" + k, List.of(k, "s", List.of(), Map.of()));
            }
            at.put("next", inner);
            at = inner;
        }
        corpus.add(deep);
        List<Object> nestedLists = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            nestedLists = new ArrayList<>(List.of(nestedLists, i, new ArrayList<>(Arrays.asList(new Object[17]))));
        }
        corpus.add(nestedLists);
        Map<String, Object> withNulls = new LinkedHashMap<>();
        withNulls.put("a", null);
        withNulls.put("b", List.of());
        withNulls.put("c", new Reply(null));
        corpus.add(withNulls);
        corpus.add(new Reply("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"));
        corpus.add(everything(null));
        for (Object value : corpus) {
            for (Dialect dialect : List.of(Dialect.HEAD, Dialect.V0_1_0)) {
                assertSameBytes(dialect, value);
            }
        }
    }

    @Test
    void referencesAndTimeEncodeAsBeforeInEachDialect() {
        Object[] values = {Pipe.create().sender(), Pipe.create().receiver(), BytePipe.create().local(),
            new ByteArrayInputStream(new byte[1]), new ByteArrayOutputStream(), FileDescriptor.in};
        for (Dialect dialect : List.of(Dialect.HEAD, Dialect.V0_1_0)) {
            for (ReferenceKind kind : ReferenceKind.values()) {
                for (long id : new long[] {1, 3, 0xffffffffL, 0x100000000L, Long.MAX_VALUE}) {
                    for (Object value : values) {
                        Refs refs = new Refs(kind, id);
                        assertSameBytes(dialect, new Request("cmd", value), refs);
                        assertSameBytes(dialect, List.of(value, Map.of("again", value)), refs);
                        assertSameBytes(dialect, everything(value), refs);
                    }
                }
            }
            for (Instant t : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                Instant.ofEpochSecond(-62_135_596_800L), Instant.MAX}) {
                assertSameBytes(dialect, t);
                assertSameBytes(dialect, Map.of("when", t));
            }
        }
    }

    @Test
    void theBenchmarksRequestIsTheKnownWireBytes() {
        // a Go peer's vector (go-peer-wire.md §1 shape): {cmd: "hi", ret: Sender 3}, HEAD
        byte[] bytes = new MsgpackCodec(Dialect.HEAD, Settings.defaults())
                .encode(new Request("hi", Pipe.create().sender()), new Refs(ReferenceKind.SENDER, 3));
        assertEquals("82a3636d64a26869a3726574d60400000003", HexFormat.of().formatHex(bytes));
    }

    @Test
    void whatCannotBeEncodedFailsAsBefore() {
        MsgpackCodec codec = new MsgpackCodec(Dialect.HEAD, Settings.defaults());
        assertThrows(IllegalArgumentException.class, () -> codec.encode(BigInteger.ONE.shiftLeft(64), EncodeContext.NONE));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(List.of(BigInteger.ONE.shiftLeft(64).negate()), EncodeContext.NONE));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(Map.of("d", new BigDecimal("0.1000000000000000000001")), EncodeContext.NONE));
        // the generator a failed encode used goes back to the pool clean: the next message is whole
        assertArrayEquals(HexFormat.of().parseHex("81a162c3"), codec.encode(Map.of("b", true), EncodeContext.NONE));
    }

    private static Everything everything(Object ref) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", 1);
        map.put("y", List.of("z"));
        return new Everything("str", -70000, 1L << 40, (short) -200, (byte) -3, 2.5, 0.25f, true, null,
                new byte[] {1, 2, 3}, new int[] {1, 200, 70000}, new long[] {-1, 1L << 33}, new char[] {'h', 'é'},
                List.of(1, "two", 3.0), map, BigInteger.TEN, new BigDecimal("2.75"), Kind.ONE,
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new Reply("r"), ref,
                Instant.ofEpochSecond(1_700_000_000L, 5));
    }

    private static void assertSameBytes(Dialect dialect, Object message) {
        assertSameBytes(dialect, message, new Refs(ReferenceKind.SENDER, 7));
    }

    private static void assertSameBytes(Dialect dialect, Object message, Refs refs) {
        Refs oldRefs = refs.copy();
        Refs newRefs = refs.copy();
        byte[] before = encodeAsBefore(dialect, message, oldRefs);
        byte[] now = new MsgpackCodec(dialect, Settings.defaults()).encode(message, newRefs);
        String what = dialect.id() + " " + describe(message);
        assertArrayEquals(before, now, what);
        assertEquals(oldRefs.seen, newRefs.seen, "references handed to the session, " + what);
        assertSameDecode(dialect, now, what);
    }

    /**
     * Our parser reads what jackson-dataformat-msgpack's reads (the codec still uses that one for
     * a message that arrived in blocks): the same untyped form, references and time resolved alike.
     */
    private static void assertSameDecode(Dialect dialect, byte[] bytes, String what) {
        MsgpackCodec codec = new MsgpackCodec(dialect, Settings.defaults());
        DecodeContext asIs = ref -> ref;
        Object ours = codec.decode(bytes, 0, bytes.length, Object.class, asIs);
        Object library = codec.decodeFramed(new byte[][] {bytes}, bytes.length, Object.class, asIs);
        assertEquals(comparable(library), comparable(ours), "decoded, " + what);
        byte[] shifted = new byte[bytes.length + 7]; // a message in the middle of a frame's buffer
        System.arraycopy(bytes, 0, shifted, 3, bytes.length);
        assertEquals(comparable(library), comparable(codec.decodeFramed(shifted, 3, bytes.length, Object.class, asIs)),
                "decoded at an offset, " + what);
    }

    /** byte[] compared by content. */
    private static Object comparable(Object value) {
        if (value instanceof byte[] b) {
            return "bin:" + HexFormat.of().formatHex(b);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(comparable(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, comparable(v)));
            return out;
        }
        return value;
    }

    private static String describe(Object message) {
        String s = String.valueOf(message instanceof Object[] a ? Arrays.deepToString(a) : message);
        s = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder out = new StringBuilder(message == null ? "null" : message.getClass().getSimpleName()).append(' ');
        s.chars().forEach(c -> out.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    /** The codec's encode as it was: jackson-dataformat-msgpack's generator, references as its ext type. */
    private static byte[] encodeAsBefore(Dialect dialect, Object message, EncodeContext refs) {
        ReferenceWriter writer = (value, gen) -> {
            MessagePackGenerator mp = (MessagePackGenerator) gen;
            if (value instanceof Instant t) {
                if (dialect == Dialect.V0_1_0) {
                    gen.writeString(t.toString());
                } else {
                    mp.writeExtensionType(new MessagePackExtensionType(ExtCodes.HEAD_TIME, ExtCodes.time(t)));
                }
                return;
            }
            Reference ref = refs.reference(value);
            mp.writeExtensionType(new MessagePackExtensionType(ExtCodes.type(dialect, ref.kind()), ExtCodes.payload(dialect, ref)));
        };
        try {
            return OLD.writer().withAttribute(ReferenceWriter.ATTRIBUTE, writer).writeValueAsBytes(message);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Gives every value the same kind and ids from {@code first} up, and records what it was asked. */
    private static final class Refs implements EncodeContext {
        final ReferenceKind kind;
        final long first;
        final Map<Object, Reference> given = new IdentityHashMap<>();
        final List<Object> seen = new ArrayList<>();

        Refs(ReferenceKind kind, long first) {
            this.kind = kind;
            this.first = first;
        }

        Refs copy() {
            return new Refs(kind, first);
        }

        @Override
        public Reference reference(Object value) {
            seen.add(value);
            return given.computeIfAbsent(value, v -> new Reference(kind, first + given.size()));
        }
    }
}
