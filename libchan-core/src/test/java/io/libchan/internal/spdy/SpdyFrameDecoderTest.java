package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpdyFrameDecoderTest {
    private static final byte[] PING_7 = Hex.bytes("80 03 00 06 00 00 00 04 00 00 00 07");

    @Test
    void skipsUnknownAndCredentialControlFramesAndGoesOn() throws SpdyProtocolException {
        byte[] input = Hex.concat(
                Hex.bytes("80 03 00 0a 00 00 00 05 01 02 03 04 05"), // CREDENTIAL
                Hex.bytes("80 03 00 ff 07 00 00 03 aa bb cc"), // unknown type 0xff
                Hex.bytes("80 03 00 05 00 00 00 00"), // SPDY/2 NOOP, empty
                PING_7);

        try (SpdyFrameDecoder whole = new SpdyFrameDecoder();
                SpdyFrameDecoder bytewise = new SpdyFrameDecoder()) {
            assertEquals(List.of(new PingFrame(7)), Hex.decodeWhole(whole, input));
            assertEquals(List.of(new PingFrame(7)), Hex.decodeByteByByte(bytewise, input));
        }
    }

    @Test
    void skippedFrameIsStillBoundedByTheControlLimit() {
        assertConnectionError(Hex.bytes("80 03 00 0a 00 ff ff ff"), "over the limit");
    }

    @Test
    void rejectsWrongVersion() {
        assertConnectionError(Hex.bytes("80 02 00 06 00 00 00 04 00 00 00 07"), "version 2");
    }

    @Test
    void rejectsPingWithLengthEightFromTheHeader() {
        assertConnectionError(Hex.bytes("80 03 00 06 00 00 00 08"), "invalid PING");
    }

    @Test
    void rejectsBadFixedControlLengths() {
        assertConnectionError(Hex.bytes("80 03 00 03 00 00 00 04"), "invalid RST_STREAM");
        assertConnectionError(Hex.bytes("80 03 00 09 00 00 00 0c"), "invalid WINDOW_UPDATE");
        assertConnectionError(Hex.bytes("80 03 00 07 00 00 00 0c"), "invalid GOAWAY");
        assertConnectionError(Hex.bytes("80 03 00 01 00 00 00 09"), "invalid SYN_STREAM");
        assertConnectionError(Hex.bytes("80 03 00 02 00 00 00 03"), "invalid SYN_REPLY");
        assertConnectionError(Hex.bytes("80 03 00 04 00 00 00 05"), "invalid SETTINGS");
    }

    @Test
    void rejectsSettingsCountNotMatchingLength() {
        assertConnectionError(
                Hex.bytes("80 03 00 04 00 00 00 0c 00 00 00 02 00 00 00 04 00 00 00 64"),
                "2 entries");
    }

    @Test
    void rejectsStreamZeroWhereAStreamIsNeeded() {
        assertConnectionError(Hex.bytes("00 00 00 00 00 00 00 01 ff"), "DATA frame on stream 0");
        assertConnectionError(Hex.bytes("80 03 00 01 00 00 00 0a 00 00 00 00 00 00 00 00 00 00"),
                "SYN_STREAM frame on stream 0");
        assertConnectionError(Hex.bytes("80 03 00 03 00 00 00 08 80 00 00 00 00 00 00 05"),
                "RST_STREAM frame on stream 0");
    }

    @Test
    void dataFrameOverTheLimitFailsFromTheHeaderAlone() {
        SpdyLimits limits = new SpdyLimits(1 << 20, 65536, 65536, 256);
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder(limits)) {
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> Hex.decodeWhole(decoder, Hex.bytes("00 00 00 01 00 10 00 01")));
            assertTrue(e.getMessage().contains("DATA frame of 1048577 bytes"), e.getMessage());
        }
    }

    @Test
    void controlFrameOverTheLimitFailsFromTheHeaderAlone() {
        assertConnectionError(Hex.bytes("80 03 00 01 00 ff ff ff"), "SYN_STREAM frame of 16777215");
    }

    @Test
    void decompressionBombInASynStreamIsAConnectionError() {
        byte[] bomb = SpdyHeaderCompressionTest.deflateWithSpdyDictionary(new byte[16 << 20]);
        byte[] frame = Hex.concat(Hex.bytes("80 03 00 01 00"), len24(10 + bomb.length),
                Hex.bytes("00 00 00 01 00 00 00 00 00 00"), bomb);

        assertConnectionError(frame, "more than 65536");
    }

    @Test
    void uppercaseHeaderNameInASynStreamIsAConnectionError() {
        byte[] raw = SpdyHeadersTest.block(1, "Libchan-Ref", "2");
        byte[] block = SpdyHeaderCompressionTest.deflateWithSpdyDictionary(raw);
        byte[] frame = Hex.concat(Hex.bytes("80 03 00 02 00"), len24(4 + block.length),
                Hex.bytes("00 00 00 01"), block);

        assertConnectionError(frame, "not lowercase");
    }

    @Test
    void masksReservedStreamIdBits() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            List<SpdyFrame> frames = Hex.decodeWhole(decoder, Hex.concat(
                    Hex.bytes("80 03 00 03 00 00 00 08 80 00 00 05 00 00 00 05"),
                    Hex.bytes("80 03 00 09 00 00 00 08 80 00 00 05 80 00 10 00")));

            assertEquals(List.of(new RstStreamFrame(5, SpdyStatus.RST_CANCEL),
                    new WindowUpdateFrame(5, 0x1000)), frames);
        }
    }

    @Test
    void acceptsTheShortGoAwayForm() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertEquals(List.of(new GoAwayFrame(9, SpdyStatus.GOAWAY_OK)),
                    Hex.decodeWhole(decoder, Hex.bytes("80 03 00 07 00 00 00 04 00 00 00 09")));
        }
    }

    @Test
    void windowUpdateWithZeroDeltaIsAStreamErrorAndDecodingGoesOn() throws SpdyProtocolException {
        byte[] input = Hex.concat(Hex.bytes("80 03 00 09 00 00 00 08 00 00 00 05 00 00 00 00"),
                PING_7);
        ByteBuffer buffer = ByteBuffer.wrap(input);
        List<SpdyFrame> frames = new ArrayList<>();
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> decoder.decode(buffer, frames::add));
            assertTrue(e.isStreamError());
            assertEquals(5, e.streamId());
            assertEquals(SpdyStatus.RST_PROTOCOL_ERROR, e.rstStatus());
            assertEquals(16, buffer.position());

            decoder.decode(buffer, frames::add);
            assertEquals(List.of(new PingFrame(7)), frames);
        }
    }

    @Test
    void connectionErrorLeavesTheDecoderFailed() {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertThrows(SpdyProtocolException.class,
                    () -> Hex.decodeWhole(decoder, Hex.bytes("80 02 00 06 00 00 00 04")));
            assertThrows(IllegalStateException.class, () -> Hex.decodeWhole(decoder, PING_7));
        }
    }

    @Test
    void consumerExceptionPropagatesAfterTheFrameWasConsumed() throws SpdyProtocolException {
        ByteBuffer buffer = ByteBuffer.wrap(Hex.concat(PING_7, PING_7));
        RuntimeException boom = new RuntimeException("boom");
        List<SpdyFrame> frames = new ArrayList<>();
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertSame(boom, assertThrows(RuntimeException.class,
                    () -> decoder.decode(buffer, f -> { throw boom; })));
            assertTrue(decoder.isAtFrameBoundary());

            decoder.decode(buffer, frames::add);
            assertEquals(List.of(new PingFrame(7)), frames);
        }
    }

    @Test
    void keepsPartialFramesAcrossCalls() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertEquals(List.of(), Hex.decodeWhole(decoder, Hex.bytes("80 03 00 06 00")));
            assertFalse(decoder.isAtFrameBoundary());
            assertEquals(List.of(), Hex.decodeWhole(decoder, Hex.bytes("00 00 04 00 00")));
            assertEquals(List.of(new PingFrame(7), new PingFrame(7)), Hex.decodeWhole(decoder,
                    Hex.bytes("00 07 80 03 00 06 00 00 00 04 00 00 00 07")));
            assertTrue(decoder.isAtFrameBoundary());
        }
    }

    @Test
    void readFrameReadsOneFrameAtATimeAndReturnsNullAtCleanEnd() throws Exception {
        byte[] input = Hex.concat(SpdyGoTraceTest.C2S_SYN_STREAM_1,
                Hex.bytes("80 03 00 0a 00 00 00 02 00 00"), // skipped
                SpdyGoTraceTest.C2S_DATA_1, SpdyGoTraceTest.FIN_1);
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertEquals(1, ((SynStreamFrame) decoder.readFrame(in)).streamId());
            assertEquals(18, ((DataFrame) decoder.readFrame(in)).data().length);
            assertEquals(DataFrame.fin(1), decoder.readFrame(in));
            assertNull(decoder.readFrame(in));
        }
    }

    @Test
    void readFrameReadsLargeDataFrames() throws Exception {
        byte[] data = new byte[100_000];
        data[99_999] = 9;
        byte[] input;
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            input = encoder.encode(new DataFrame(7, true, data));
        }
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertEquals(new DataFrame(7, true, data),
                    decoder.readFrame(new ByteArrayInputStream(input)));
        }
    }

    @Test
    void readFrameReportsEndInsideAFrame() {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            byte[] truncatedPing = Hex.bytes("80 03 00 06 00 00 00 04 00");
            assertThrows(EOFException.class,
                    () -> decoder.readFrame(new ByteArrayInputStream(truncatedPing)));
        }
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            assertThrows(EOFException.class,
                    () -> decoder.readFrame(new ByteArrayInputStream(Hex.bytes("80 03"))));
        }
    }

    @Test
    void closedDecoderRefusesInput() throws IOException {
        SpdyFrameDecoder decoder = new SpdyFrameDecoder();
        decoder.close();
        decoder.close();

        assertThrows(IllegalStateException.class, () -> Hex.decodeWhole(decoder, PING_7));
        assertThrows(IllegalStateException.class,
                () -> decoder.readFrame(new ByteArrayInputStream(PING_7)));
    }

    private static byte[] len24(int length) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    private static void assertConnectionError(byte[] input, String messagePart) {
        try (SpdyFrameDecoder whole = new SpdyFrameDecoder();
                SpdyFrameDecoder bytewise = new SpdyFrameDecoder()) {
            for (SpdyFrameDecoder decoder : List.of(whole, bytewise)) {
                SpdyProtocolException e = assertThrows(SpdyProtocolException.class, () -> {
                    if (decoder == whole) {
                        Hex.decodeWhole(decoder, input);
                    } else {
                        Hex.decodeByteByByte(decoder, input);
                    }
                });
                assertFalse(e.isStreamError());
                assertEquals(0, e.streamId());
                assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, e.goAwayStatus());
                assertTrue(e.getMessage().contains(messagePart), e.getMessage());
            }
        }
    }
}
