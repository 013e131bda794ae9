package io.libchan.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Dialect;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CBOR and XML forms of PROTOCOL.md section 15, byte for byte, and what reads back from them. */
class CodecFormsTest {
    private static final MessageCodec CBOR = codec("cbor");
    private static final MessageCodec XML = codec("xml");
    /** Every reference is encoded as reference 3 of the kind the value asks for. */
    private static final EncodeContext REF_3 = value -> new Reference(value instanceof Sender ? ReferenceKind.SENDER
            : ReferenceKind.BYTE_STREAM_READ, 3);
    private static final DecodeContext RESOLVED = Reference::toString;

    private static MessageCodec codec(String name) {
        return MessageCodecs.create(Dialect.HEAD, Settings.builder().codec(name).build());
    }

    private static Map<String, Object> request() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Cmd", "hi");
        m.put("Ret", io.libchan.Pipe.create().sender());
        return m;
    }

    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Test
    void cborRequestIsALengthPrefixedMapWithATaggedSender() {
        byte[] bytes = CBOR.encode(request(), REF_3);
        // Jackson writes maps with indefinite length (bf ... ff); a reader takes both forms
        assertEquals("00 00 00 13 bf 63 43 6d 64 62 68 69 63 52 65 74 da 6c 63 00 04 03 ff", hex(bytes));
        Map<?, ?> back = CBOR.decode(bytes, 0, bytes.length, Map.class, RESOLVED);
        assertEquals(Map.of("Cmd", "hi", "Ret", "Reference[kind=SENDER, id=3]"), back);
    }

    @Test
    void xmlRequestIsALengthPrefixedDocumentOfTypedElements() {
        byte[] bytes = XML.encode(request(), REF_3);
        String body = "<map><e k=\"Cmd\"><s>hi</s></e><e k=\"Ret\"><sender id=\"3\"/></e></map>";
        assertEquals(body, new String(bytes, 4, bytes.length - 4, StandardCharsets.UTF_8));
        assertEquals(body.length(), ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff));
        Map<?, ?> back = XML.decode(bytes, 0, bytes.length, Map.class, RESOLVED);
        assertEquals(Map.of("Cmd", "hi", "Ret", "Reference[kind=SENDER, id=3]"), back);
    }

    @Test
    void everyKindOfValueReadsBackAsItWasWritten() {
        for (MessageCodec codec : List.of(CBOR, XML)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("int", -12L);
            m.put("big", new BigInteger("123456789012345678901234567890"));
            m.put("float", 1.5);
            m.put("yes", true);
            m.put("none", null);
            m.put("bin", new byte[] {0, 1, (byte) 0xff});
            m.put("time", Instant.parse("2023-11-14T22:13:20.123456789Z"));
            m.put("one", List.of("only"));
            m.put("empty", List.of());
            m.put("nested", Map.of());
            m.put("odd\tkey\r", "cr\r, nul \0, tab\t, emoji \ud83d\ude00, <&>\"'");
            m.put("in", new java.io.ByteArrayInputStream(new byte[0]));
            byte[] bytes = codec.encode(m, REF_3);
            Map<?, ?> back = codec.decode(bytes, 0, bytes.length, Map.class, RESOLVED);
            assertEquals(m.keySet(), back.keySet(), codec.name());
            for (String k : m.keySet()) {
                Object want = k.equals("in") ? "Reference[kind=BYTE_STREAM_READ, id=3]" : m.get(k);
                if (want instanceof byte[]) {
                    assertArrayEquals((byte[]) want, (byte[]) back.get(k), codec.name() + " " + k);
                } else {
                    assertEquals(want, back.get(k), codec.name() + " " + k);
                }
            }
        }
    }

    public record Order(String item, int count, List<String> tags, Instant at) {
    }

    @Test
    void aRecordReadsBackTyped() {
        Order order = new Order("tea", 3, List.of("hot"), Instant.parse("2024-01-02T03:04:05Z"));
        for (MessageCodec codec : List.of(CBOR, XML)) {
            byte[] bytes = codec.encode(order, EncodeContext.NONE);
            assertEquals(order, codec.decode(bytes, 0, bytes.length, Order.class, DecodeContext.NONE), codec.name());
        }
    }

    @Test
    void aMessageOverTheLimitIsRefusedWhenEncoded() {
        MessageCodec small = MessageCodecs.create(Dialect.HEAD, Settings.builder().codec("cbor").maxMessageBytes(100).build());
        assertThrows(MessageTooLargeException.class, () -> small.encode(Map.of("x", "y".repeat(200)), EncodeContext.NONE));
        MessageCodec smallXml = MessageCodecs.create(Dialect.HEAD, Settings.builder().codec("xml").maxMessageBytes(100).build());
        assertThrows(MessageTooLargeException.class, () -> smallXml.encode(Map.of("x", "y".repeat(200)), EncodeContext.NONE));
    }

    @Test
    void aCborStringDeclaringTwoGibibytesFailsWithoutAllocatingThem() {
        // text string of 2^31-1 bytes (header 7a 7f ff ff ff), then 3 bytes
        byte[] bytes = HexFormat.of().parseHex("00000008" + "7a7fffffff616263");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> CBOR.decode(bytes, 0, bytes.length, Object.class, DecodeContext.NONE));
        assertTrue(e.getMessage().contains("CBOR"), e.getMessage());
    }

    @Test
    void framersSplitMessagesAtTheirPrefixesWhateverThePieces() {
        for (MessageCodec codec : List.of(CBOR, XML)) {
            byte[] one = codec.encode(Map.of("n", 1), EncodeContext.NONE);
            byte[] two = codec.encode(Map.of("n", 2), EncodeContext.NONE);
            byte[] both = Arrays.copyOf(one, one.length + two.length);
            System.arraycopy(two, 0, both, one.length, two.length);
            var framer = codec.newFramer();
            List<Integer> ends = new ArrayList<>();
            int since = 0;
            for (int i = 0; i < both.length; i++) { // one byte at a time
                since++;
                int n = framer.feed(both, i, 1);
                if (n >= 0) {
                    assertEquals(1, n);
                    ends.add(since);
                    since = 0;
                }
            }
            assertEquals(List.of(one.length, two.length), ends, codec.name());
        }
    }

    @Test
    void aPrefixOverTheLimitFailsTheFramerAtOnce() {
        for (MessageCodec codec : List.of(CBOR, XML)) {
            var framer = codec.newFramer();
            byte[] prefix = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> framer.feed(prefix, 0, 4));
            assertInstanceOf(MessageTooLargeException.class, e);
        }
    }
}
