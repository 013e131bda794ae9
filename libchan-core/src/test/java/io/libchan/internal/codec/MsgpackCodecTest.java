package io.libchan.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.Dialect;
import io.libchan.MessageTooLargeException;
import io.libchan.MessageTypeException;
import io.libchan.Pipe;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.msgpack.MsgpackCodec;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The msgpack codec against the byte vectors of go-peer-wire.md §1 (test resources), and bad input. */
class MsgpackCodecTest {
    private static final MsgpackCodec HEAD = new MsgpackCodec(Dialect.HEAD, Settings.defaults());
    private static final MsgpackCodec V010 = new MsgpackCodec(Dialect.V0_1_0, Settings.defaults());

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Resolves references to fresh objects of the right kind and remembers them. */
    static final class RecordingRefs implements DecodeContext {
        final Map<Reference, Object> resolved = new HashMap<>();

        @Override
        public Object resolve(Reference ref) {
            return resolved.computeIfAbsent(ref, r -> {
                switch (r.kind()) {
                    case SENDER: return Pipe.create().sender();
                    case RECEIVER: return Pipe.create().receiver();
                    default: return BytePipe.create().local();
                }
            });
        }
    }

    /** Hands out ids from 3 up, as a session would, and lets decoding find the same objects again. */
    static final class Loopback implements EncodeContext, DecodeContext {
        final List<Object> values = new ArrayList<>();
        final List<Reference> refs = new ArrayList<>();

        @Override
        public Reference reference(Object value) {
            ReferenceKind kind = value instanceof Sender ? ReferenceKind.SENDER
                    : value instanceof Receiver ? ReferenceKind.RECEIVER : ReferenceKind.BYTE_STREAM;
            Reference ref = new Reference(kind, 3 + values.size());
            values.add(value);
            refs.add(ref);
            return ref;
        }

        @Override
        public Object resolve(Reference ref) {
            int i = refs.indexOf(ref);
            if (i < 0) {
                throw new ProtocolException("unknown " + ref);
            }
            return values.get(i);
        }
    }

    record Hi(String cmd, Sender ret) {
    }

    @Test
    void decodesGoHeadHiRequest() {
        byte[] data = hex("82 a3 43 6d 64 a2 68 69 a3 52 65 74 d6 04 00 00 00 03");
        RecordingRefs refs = new RecordingRefs();
        Hi hi = HEAD.decode(data, 0, data.length, Hi.class, refs);
        assertEquals("hi", hi.cmd());
        assertSame(refs.resolved.get(new Reference(ReferenceKind.SENDER, 3)), hi.ret());
    }

    @Test
    void decodesGoHeadHiRequestUntyped() {
        byte[] data = hex("82 a3 43 6d 64 a2 68 69 a3 52 65 74 d6 04 00 00 00 03");
        RecordingRefs refs = new RecordingRefs();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) HEAD.decode(data, 0, data.length, Object.class, refs);
        assertEquals("hi", map.get("Cmd"));
        assertInstanceOf(Sender.class, map.get("Ret"));
    }

    @Test
    void decodesGoHeadReplyAndReencodesToSameBytes() {
        byte[] data = hex("81 a3 43 6d 64 a2 68 69");
        Object map = HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE);
        assertEquals(Map.of("Cmd", "hi"), map);
        assertArrayEquals(data, HEAD.encode(map, EncodeContext.NONE));
    }

    @Test
    void decodesShowcaseMessageWithEveryKindOfValue() {
        byte[] data = hex("8a a3 42 69 6e c4 03 01 02 03  a3 43 6d 64 a8 73 68 6f 77 63 61 73 65"
                + " a1 46 cb 3f f8 00 00 00 00 00 00  a3 41 72 72 94 01 a1 61 c3 c0"
                + " a4 57 68 65 6e c7 0c 06 00 00 00 00 65 53 f1 00 07 5b cd 15"
                + " a3 4e 65 67 fb  a3 42 69 67 d1 01 2c"
                + " a3 52 65 74 d6 04 00 00 00 03  a2 55 70 d6 05 00 00 00 04  a6 53 74 72 65 61 6d d6 01 00 00 00 05");
        RecordingRefs refs = new RecordingRefs();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) HEAD.decode(data, 0, data.length, Object.class, refs);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.get("Bin"));
        assertEquals("showcase", m.get("Cmd"));
        assertEquals(1.5, m.get("F"));
        assertEquals(Arrays.asList(1L, "a", true, null), m.get("Arr"));
        assertEquals(Instant.parse("2023-11-14T22:13:20.123456789Z"), m.get("When"));
        assertEquals(-5L, m.get("Neg"));
        assertEquals(300L, m.get("Big"));
        assertInstanceOf(Sender.class, m.get("Ret"));
        assertInstanceOf(Receiver.class, m.get("Up"));
        assertInstanceOf(ByteStream.class, m.get("Stream"));
        assertEquals(3, refs.resolved.size());
        assertEquals(Map.of(new Reference(ReferenceKind.SENDER, 3), m.get("Ret"),
                new Reference(ReferenceKind.RECEIVER, 4), m.get("Up"),
                new Reference(ReferenceKind.BYTE_STREAM, 5), m.get("Stream")), refs.resolved);
    }

    record Showcase(byte[] bin, String cmd, double f, List<Object> arr, Instant when, long neg, int big,
                    Sender ret, Receiver up, ByteStream stream) {
    }

    @Test
    void showcaseRoundTripsThroughOurEncoding() {
        Pipe reply = Pipe.create();
        Pipe up = Pipe.create();
        BytePipe bytes = BytePipe.create();
        Showcase sent = new Showcase(new byte[] {1, 2, 3}, "showcase", 1.5, Arrays.asList(1L, "a", true, null),
                Instant.parse("2023-11-14T22:13:20.123456789Z"), -5, 300, reply.sender(), up.receiver(), bytes.remote());
        Loopback loop = new Loopback();
        byte[] data = HEAD.encode(sent, loop);
        Showcase got = HEAD.decode(data, 0, data.length, Showcase.class, loop);
        assertArrayEquals(sent.bin(), got.bin());
        assertEquals(sent.cmd(), got.cmd());
        assertEquals(sent.f(), got.f());
        assertEquals(sent.arr(), got.arr());
        assertEquals(sent.when(), got.when());
        assertEquals(sent.neg(), got.neg());
        assertEquals(sent.big(), got.big());
        assertSame(sent.ret(), got.ret());
        assertSame(sent.up(), got.up());
        assertSame(sent.stream(), got.stream());
        assertEquals(List.of(ReferenceKind.SENDER, ReferenceKind.RECEIVER, ReferenceKind.BYTE_STREAM),
                loop.refs.stream().map(Reference::kind).toList());
    }

    @Test
    void encodesHeadReferencesAsGoDoes() {
        Loopback loop = new Loopback();
        byte[] data = HEAD.encode(Map.of("Ret", Pipe.create().sender()), loop);
        assertArrayEquals(hex("81 a3 52 65 74 d6 04 00 00 00 03"), data);
    }

    @Test
    void decodesV010RequestWithDirectionByte() {
        byte[] data = hex("82 a3 43 6d 64 a2 68 69 a3 52 65 74 c7 05 01 02 00 00 00 03");
        RecordingRefs refs = new RecordingRefs();
        Hi hi = V010.decode(data, 0, data.length, Hi.class, refs);
        assertEquals("hi", hi.cmd());
        assertSame(refs.resolved.get(new Reference(ReferenceKind.SENDER, 3)), hi.ret());
    }

    @Test
    void encodesV010ChannelsWithDirectionAndStreamsAsExt2() {
        Loopback loop = new Loopback();
        byte[] ret = V010.encode(Map.of("Ret", Pipe.create().sender()), loop);
        assertArrayEquals(hex("81 a3 52 65 74 c7 05 01 02 00 00 00 03"), ret);
        byte[] up = V010.encode(Map.of("up", Pipe.create().receiver()), loop);
        assertArrayEquals(hex("81 a2 75 70 c7 05 01 01 00 00 00 04"), up);
        byte[] bs = V010.encode(Map.of("b", BytePipe.create().remote()), loop);
        assertArrayEquals(hex("81 a1 62 d6 02 00 00 00 05"), bs);
    }

    @Test
    void acceptsEightByteReferenceIdsAndEveryIntegerForm() {
        byte[] data = hex("84 a1 61 d7 04 00 00 00 01 00 00 00 07  a1 62 cf ff ff ff ff ff ff ff ff"
                + " a1 63 cc 05  a1 64 d3 ff ff ff ff ff ff ff fe");
        RecordingRefs refs = new RecordingRefs();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) HEAD.decode(data, 0, data.length, Object.class, refs);
        assertInstanceOf(Sender.class, m.get("a"));
        assertEquals(new Reference(ReferenceKind.SENDER, 0x100000007L), refs.resolved.keySet().iterator().next());
        assertEquals(new BigInteger("18446744073709551615"), m.get("b"));
        assertEquals(5L, m.get("c"));
        assertEquals(-2L, m.get("d"));
    }

    record Keys(String a, long b, boolean c) {
    }

    @Test
    void decodesFieldsInAnyKeyOrder() {
        byte[] one = hex("83 a1 61 a1 78 a1 62 d1 01 2c a1 63 c3");
        byte[] two = hex("83 a1 63 c3 a1 62 cd 01 2c a1 61 a1 78");
        assertEquals(HEAD.decode(one, 0, one.length, Keys.class, DecodeContext.NONE),
                HEAD.decode(two, 0, two.length, Keys.class, DecodeContext.NONE));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void truncatedInputIsAProtocolError() {
        byte[] data = hex("82 a3 43 6d 64 a2 68");
        assertThrows(ProtocolException.class, () -> HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void unknownExtTypeIsAProtocolError() {
        byte[] data = hex("81 a1 78 d6 09 00 00 00 01");
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> HEAD.decode(data, 0, data.length, Object.class, new RecordingRefs()));
        assertEquals("unknown msgpack ext type 9 in the head dialect", e.getMessage());
    }

    @Test
    void badReferenceIdLengthIsAProtocolError() {
        byte[] data = hex("81 a1 78 d5 04 00 03");
        assertThrows(ProtocolException.class, () -> HEAD.decode(data, 0, data.length, Object.class, new RecordingRefs()));
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        MsgpackCodec shallow = new MsgpackCodec(Dialect.HEAD, Settings.builder().maxNestingDepth(8).build());
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 0x91); // [[[[...
        deep[deep.length - 1] = 0x01;
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> shallow.decode(deep, 0, deep.length, Object.class, DecodeContext.NONE));
        assertEquals("msgpack message nested deeper than 8 levels", e.getMessage());
        byte[] ok = hex("91 91 91 01");
        assertEquals(List.of(List.of(List.of(1L))), shallow.decode(ok, 0, ok.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void twoGigabyteLengthPrefixFailsFromTheHeaderWithoutAllocating() {
        byte[] data = hex("c6 80 00 00 00 01 02 03");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThrows(MessageTooLargeException.class, () -> HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE)));
        byte[] str = hex("db 7f ff ff ff 61");
        assertThrows(MessageTooLargeException.class, () -> HEAD.decode(str, 0, str.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void mapDeclaringTenMillionEntriesFailsFromTheHeader() {
        byte[] data = hex("df 00 98 96 80 a1 61 01");
        MsgpackCodec small = new MsgpackCodec(Dialect.HEAD, Settings.builder().maxMessageBytes(1024 * 1024).build());
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThrows(MessageTooLargeException.class, () -> small.decode(data, 0, data.length, Object.class, DecodeContext.NONE)));
        // 10 M entries need at least 20 MB: over the default 16 MiB limit too
        assertThrows(MessageTooLargeException.class, () -> HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE));
        // 1 M entries could fit in 16 MiB: the scan needs more bytes, so a short buffer is truncated input
        byte[] million = hex("df 00 0f 42 40 a1 61 01");
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThrows(ProtocolException.class, () -> HEAD.decode(million, 0, million.length, Object.class, DecodeContext.NONE)));
    }

    @Test
    void neverUsedByteIsAProtocolError() {
        byte[] data = hex("91 c1");
        assertThrows(ProtocolException.class, () -> HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE));
    }

    @Test
    void typeMismatchCarriesTheUntypedMessage() {
        byte[] data = hex("81 a3 43 6d 64 92 01 02");
        MessageTypeException e = assertThrows(MessageTypeException.class,
                () -> HEAD.decode(data, 0, data.length, Hi.class, DecodeContext.NONE));
        assertEquals(Map.of("Cmd", List.of(1L, 2L)), e.untypedMessage());
    }

    @Test
    void senderWhereReceiverExpectedIsATypeError() {
        record WantsReceiver(Receiver up) {
        }
        byte[] data = hex("81 a2 75 70 d6 04 00 00 00 03");
        assertThrows(MessageTypeException.class, () -> HEAD.decode(data, 0, data.length, WantsReceiver.class, new RecordingRefs()));
    }

    @Test
    void encodingOverTheLimitFailsBeforeAnythingIsSent() {
        MsgpackCodec small = new MsgpackCodec(Dialect.HEAD, Settings.builder().maxMessageBytes(100).build());
        assertThrows(MessageTooLargeException.class, () -> small.encode(Map.of("b", new byte[200]), EncodeContext.NONE));
    }

    @Test
    void nullMessageAndScalarsRoundTrip() {
        for (Object v : Arrays.asList(null, "s", 1L, -1L, 2.5, true, List.of())) {
            byte[] data = HEAD.encode(v, EncodeContext.NONE);
            Object back = HEAD.decode(data, 0, data.length, Object.class, DecodeContext.NONE);
            if (v == null) {
                assertNull(back);
            } else {
                assertEquals(v, back);
            }
        }
    }
}
