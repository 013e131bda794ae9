package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte traces of go-peer-wire.md §1 in the test resources (Go HEAD client and echo server). */
class SpdyGoTraceTest {
    static final byte[] C2S_SYN_STREAM_1 = Hex.bytes(
            "80 03 00 01 00 00 00 2a 00 00 00 01 00 00 00 00 00 00"
            + " 78 f9 e3 c6 a7 c2 62 60 60 60 04 65 9d 9c cc a4 e4 8c c4 3c dd a2 d4 34 90 90 11"
            + " 00 00 00 ff ff");
    static final byte[] C2S_SYN_STREAM_3 = Hex.bytes(
            "80 03 00 01 00 00 00 22 00 00 00 03 00 00 00 00 00 00"
            + " 02 e5 1a 2c e2 c6 a0 7c 0a 13 2b 48 2c 02 17 48 50 2d 00 00 00 00 ff ff");
    static final byte[] C2S_DATA_1 = Hex.bytes(
            "00 00 00 01 00 00 00 12 82 a3 43 6d 64 a2 68 69 a3 52 65 74 d6 04 00 00 00 03");
    static final byte[] S2C_SYN_REPLY_3 = Hex.bytes(
            "80 03 00 02 00 00 00 1e 00 00 00 03 78 f9 e3 c6 a7 c2 62 60 60 60 04 a5 47 2b 78 22"
            + " 65 36 32 30 00 00 00 00 ff ff");
    static final byte[] S2C_SYN_REPLY_1 = Hex.bytes(
            "80 03 00 02 00 00 00 0c 00 00 00 01 c2 2e 0a 00 00 00 ff ff");
    static final byte[] S2C_DATA_3 = Hex.bytes("00 00 00 03 00 00 00 08 81 a3 43 6d 64 a2 68 69");
    static final byte[] FIN_3 = Hex.bytes("00 00 00 03 01 00 00 00");
    static final byte[] FIN_1 = Hex.bytes("00 00 00 01 01 00 00 00");
    static final byte[] GOAWAY = Hex.bytes("80 03 00 07 00 00 00 08 00 00 00 00 00 00 00 00");

    private static final byte[] CLIENT_TO_SERVER =
            Hex.concat(C2S_SYN_STREAM_1, C2S_SYN_STREAM_3, C2S_DATA_1, FIN_3, FIN_1, GOAWAY);
    private static final byte[] SERVER_TO_CLIENT =
            Hex.concat(S2C_SYN_REPLY_3, S2C_SYN_REPLY_1, S2C_DATA_3, FIN_3, FIN_1);

    @Test
    void decodesGoClientSynStreamFromTrace() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            List<SpdyFrame> frames = Hex.decodeWhole(decoder, C2S_SYN_STREAM_1);

            assertEquals(List.of(new SynStreamFrame(1, 0, 0, false, false,
                    SpdyHeaders.of("libchan-ref", "2"))), frames);
        }
    }

    @Test
    void decodesSecondGoSynStreamWithTheSharedDecompressor() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            Hex.decodeWhole(decoder, C2S_SYN_STREAM_1);
            SynStreamFrame second =
                    (SynStreamFrame) Hex.decodeWhole(decoder, C2S_SYN_STREAM_3).get(0);

            assertEquals(3, second.streamId());
            assertEquals(0, second.associatedStreamId());
            // Go's header order varies between runs: compare by name
            assertEquals(2, second.headers().size());
            assertEquals("2", second.headers().get("libchan-parent-ref"));
            assertEquals("3", second.headers().get("libchan-ref"));
        }
    }

    @Test
    void decodesGoServerSynReplyPairWithItsOwnDecompressor() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            List<SpdyFrame> frames =
                    Hex.decodeWhole(decoder, Hex.concat(S2C_SYN_REPLY_3, S2C_SYN_REPLY_1));

            SpdyHeaders ok = SpdyHeaders.of(":status", "200");
            assertEquals(List.of(new SynReplyFrame(3, false, ok), new SynReplyFrame(1, false, ok)),
                    frames);
        }
    }

    @Test
    void decodesWholeClientToServerConversation() throws SpdyProtocolException {
        try (SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            List<SpdyFrame> frames = Hex.decodeWhole(decoder, CLIENT_TO_SERVER);

            assertEquals(6, frames.size());
            assertEquals(new DataFrame(1, false, Arrays.copyOfRange(C2S_DATA_1, 8, 26)),
                    frames.get(2));
            assertEquals(DataFrame.fin(3), frames.get(3));
            assertEquals(DataFrame.fin(1), frames.get(4));
            assertEquals(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK), frames.get(5));
        }
    }

    @Test
    void decodesBothDirectionsFedOneByteAtATime() throws SpdyProtocolException {
        try (SpdyFrameDecoder whole = new SpdyFrameDecoder();
                SpdyFrameDecoder bytewise = new SpdyFrameDecoder()) {
            assertEquals(Hex.decodeWhole(whole, CLIENT_TO_SERVER),
                    Hex.decodeByteByByte(bytewise, CLIENT_TO_SERVER));
        }
        try (SpdyFrameDecoder bytewise = new SpdyFrameDecoder()) {
            List<SpdyFrame> frames = Hex.decodeByteByByte(bytewise, SERVER_TO_CLIENT);

            assertEquals(List.of(new SynReplyFrame(3, false, SpdyHeaders.of(":status", "200")),
                    new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200")),
                    new DataFrame(3, false, Hex.bytes("81 a3 43 6d 64 a2 68 69")),
                    DataFrame.fin(3), DataFrame.fin(1)), frames);
        }
    }

    @Test
    void encodesGoAwayDataAndFinExactlyAsGo() {
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            assertArrayEquals(GOAWAY, encoder.encode(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK)));
            assertArrayEquals(FIN_3, encoder.encode(DataFrame.fin(3)));
            assertArrayEquals(FIN_1, encoder.encode(new DataFrame(1, true, new byte[0])));
            assertArrayEquals(S2C_DATA_3, encoder.encode(
                    new DataFrame(3, false, Hex.bytes("81 a3 43 6d 64 a2 68 69"))));
            assertArrayEquals(C2S_DATA_1, encoder.encode(
                    new DataFrame(1, false, Arrays.copyOfRange(C2S_DATA_1, 8, 26))));
        }
    }

    @Test
    void encodesFirstSynStreamLikeGoUpToTheCompressedBytes() throws SpdyProtocolException {
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder();
                SpdyFrameDecoder decoder = new SpdyFrameDecoder()) {
            SynStreamFrame frame = SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "2"));
            byte[] bytes = encoder.encode(frame);

            // frame header (minus length), stream id, assoc, priority, slot, zlib header (the
            // compression level bits differ from Go's: we compress at level 6, Go at 9)
            assertArrayEquals(Hex.bytes("80 03 00 01 00"), Arrays.copyOf(bytes, 5));
            assertArrayEquals(Arrays.copyOfRange(C2S_SYN_STREAM_1, 8, 19),
                    Arrays.copyOfRange(bytes, 8, 19));
            SpdyHeaderCompressionTest.assertSpdyZlibHeader(Arrays.copyOfRange(bytes, 18, 24));
            assertEquals(bytes.length - 8, (bytes[5] & 0xff) << 16 | (bytes[6] & 0xff) << 8
                    | (bytes[7] & 0xff));
            assertEquals(List.of(frame), Hex.decodeWhole(decoder, bytes));
        }
    }
}
