package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpdyFrameEncoderTest {

    /** One frame of every type, with non-default flags and values where the type has them. */
    private static List<SpdyFrame> everyFrameType() {
        byte[] payload = new byte[5000];
        new Random(1).nextBytes(payload);
        return List.of(
                new SynStreamFrame(1, 0, 0, false, false, SpdyHeaders.of("libchan-ref", "2")),
                new SynStreamFrame(3, 1, 7, true, true,
                        SpdyHeaders.of("libchan-parent-ref", "2", "libchan-ref", "3")),
                new SynReplyFrame(2, false, SpdyHeaders.of(":status", "200")),
                new SynReplyFrame(4, true, SpdyHeaders.of(":status", "502")),
                new HeadersFrame(1, true,
                        SpdyHeaders.builder().add("a", "1").add("a", "2").build()),
                new SynReplyFrame(6, false, SpdyHeaders.EMPTY),
                new DataFrame(1, false, payload),
                DataFrame.fin(1),
                new RstStreamFrame(3, SpdyStatus.RST_CANCEL),
                new RstStreamFrame(5, 0x7fffffff),
                new SettingsFrame(true, List.of(new SettingsFrame.Setting(4, 1, 100),
                        new SettingsFrame.Setting(0xffffff, 0xff, -1))),
                new SettingsFrame(false, List.of()),
                new PingFrame(1),
                new PingFrame(-2),
                new WindowUpdateFrame(1, 0x7fffffff),
                new WindowUpdateFrame(0, 1),
                new GoAwayFrame(0, SpdyStatus.GOAWAY_OK),
                new GoAwayFrame(0x7fffffff, SpdyStatus.GOAWAY_INTERNAL_ERROR));
    }

    @Test
    void everyFrameTypeRoundTripsThroughEncoderAndDecoder() throws SpdyProtocolException {
        List<SpdyFrame> frames = everyFrameType();
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder();
                SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            List<SpdyFrame> decoded = new ArrayList<>();
            for (SpdyFrame frame : frames) {
                decoded.addAll(Hex.decodeWhole(decoder, encoder.encode(frame)));
            }
            assertEquals(frames, decoded);
        }
    }

    @Test
    void everyFrameTypeRoundTripsWhenFedOneByteAtATime() throws SpdyProtocolException {
        List<SpdyFrame> frames = everyFrameType();
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder();
                SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            byte[] wire = new byte[0];
            for (SpdyFrame frame : frames) {
                wire = Hex.concat(wire, encoder.encode(frame));
            }
            assertEquals(frames, Hex.decodeByteByByte(decoder, wire));
        }
    }

    @Test
    void manyHeaderFramesRoundTripInRandomSplits() throws SpdyProtocolException {
        Random random = new Random(7);
        List<SpdyFrame> frames = new ArrayList<>();
        for (int i = 1; i < 400; i += 2) {
            frames.add(SynStreamFrame.open(i, SpdyHeaders.of("libchan-parent-ref",
                    Integer.toString(i), "libchan-ref", Integer.toString(i + 1))));
            frames.add(new DataFrame(i, true, new byte[random.nextInt(50)]));
        }
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder();
                SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            byte[] wire = new byte[0];
            for (SpdyFrame frame : frames) {
                wire = Hex.concat(wire, encoder.encode(frame));
            }
            List<SpdyFrame> decoded = new ArrayList<>();
            int at = 0;
            while (at < wire.length) {
                int n = Math.min(wire.length - at, 1 + random.nextInt(40));
                decoder.decode(ByteBuffer.wrap(wire, at, n), decoded::add);
                at += n;
            }
            assertEquals(frames, decoded);
        }
    }

    @Test
    void encodesFixedControlFramesByteForByte() {
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            assertArrayEquals(Hex.bytes("80 03 00 03 00 00 00 08 00 00 00 03 00 00 00 05"),
                    encoder.encode(new RstStreamFrame(3, SpdyStatus.RST_CANCEL)));
            assertArrayEquals(Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 01"),
                    encoder.encode(new PingFrame(1)));
            assertArrayEquals(Hex.bytes("80 03 00 09 00 00 00 08 00 00 00 01 00 01 00 00"),
                    encoder.encode(new WindowUpdateFrame(1, 65536)));
            assertArrayEquals(
                    Hex.bytes("80 03 00 04 01 00 00 0c 00 00 00 01 01 00 00 07 00 01 00 00"),
                    encoder.encode(new SettingsFrame(true,
                            List.of(new SettingsFrame.Setting(7, 1, 65536)))));
        }
    }

    @Test
    void encodesSynStreamFlagsPriorityAndAssociation() {
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            byte[] bytes =
                    encoder.encode(new SynStreamFrame(5, 3, 7, true, true, SpdyHeaders.EMPTY));

            assertEquals(0x03, bytes[4]);
            assertArrayEquals(Hex.bytes("00 00 00 05 00 00 00 03 e0 00"),
                    Arrays.copyOfRange(bytes, 8, 18));
        }
    }

    @Test
    void encodeDataTakesASliceOfAnArray() {
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            assertArrayEquals(Hex.bytes("00 00 00 03 01 00 00 02 bb cc"),
                    encoder.encodeData(3, true, Hex.bytes("aa bb cc dd"), 1, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> encoder.encodeData(3, true, new byte[4], 3, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> encoder.encodeData(-1, true, new byte[4], 0, 1));
        }
    }

    @Test
    void dataOverTheProtocolMaximumIsRejected() {
        byte[] tooBig = new byte[SpdyProtocol.MAX_FRAME_LENGTH + 1];
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            assertThrows(IllegalArgumentException.class,
                    () -> encoder.encodeData(1, false, tooBig, 0, tooBig.length));
            assertThrows(IllegalArgumentException.class, () -> new DataFrame(1, false, tooBig));
            assertEquals(SpdyProtocol.MAX_FRAME_LENGTH + 8, encoder.encodeData(1, false, tooBig, 1,
                    SpdyProtocol.MAX_FRAME_LENGTH).length);
        }
    }

    @Test
    void closedEncoderRefusesWork() {
        SpdyFrameEncoder encoder = new SpdyFrameEncoder();
        encoder.close();
        encoder.close();

        assertThrows(IllegalStateException.class, () -> encoder.encode(new PingFrame(1)));
        assertThrows(IllegalStateException.class, () -> encoder.encode(DataFrame.fin(1)));
    }

    @Test
    void framesRejectValuesTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new DataFrame(-1, false, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new DataFrame(1, false, null));
        assertThrows(IllegalArgumentException.class,
                () -> new SynStreamFrame(1, 0, 8, false, false, SpdyHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class,
                () -> new SynStreamFrame(1, -1, 0, false, false, SpdyHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new SynReplyFrame(1, false, null));
        assertThrows(IllegalArgumentException.class,
                () -> new SettingsFrame.Setting(1 << 24, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SettingsFrame.Setting(1, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowUpdateFrame(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new GoAwayFrame(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpdyLimits(0, 100, 100, 1));
        assertThrows(IllegalArgumentException.class,
                () -> SpdyProtocolException.streamError(0, SpdyStatus.RST_CANCEL, "x"));
    }

    @Test
    void dataFramesCompareByContent() {
        assertEquals(new DataFrame(1, false, Hex.bytes("01 02")),
                new DataFrame(1, false, Hex.bytes("01 02")));
        assertEquals(new DataFrame(1, false, Hex.bytes("01 02")).hashCode(),
                new DataFrame(1, false, Hex.bytes("01 02")).hashCode());
        assertEquals("DataFrame[streamId=1, fin=true, length=0]", DataFrame.fin(1).toString());
    }
}
