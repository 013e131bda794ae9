package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class SpdyHeaderCompressionTest {
    private static final byte[] ZLIB_PREFIX = Hex.bytes("78 f9 e3 c6 a7 c2");

    /**
     * A zlib stream header announcing the SPDY dictionary: deflate with a 32 KiB window (78), a
     * flag byte with FDICT set and a valid check (Go's level 9 gives f9, our level 6 bb), then the
     * dictionary's Adler-32.
     */
    static void assertSpdyZlibHeader(byte[] block) {
        assertEquals(0x78, block[0] & 0xff);
        assertTrue((block[1] & 0x20) != 0, "FDICT set");
        assertEquals(0, ((block[0] & 0xff) * 256 + (block[1] & 0xff)) % 31, "zlib header check");
        assertArrayEquals(Hex.bytes("e3 c6 a7 c2"), Arrays.copyOfRange(block, 2, 6));
    }
    private static final byte[] SYNC_FLUSH_TAIL = Hex.bytes("00 00 ff ff");

    @Test
    void firstBlockStartsWithTheSpdyDictionaryZlibHeaderAndEndsWithSyncFlush() {
        try (HeaderBlockCompressor c = new HeaderBlockCompressor()) {
            byte[] first = c.compress(SpdyHeaders.of("libchan-ref", "2"));
            byte[] second = c.compress(SpdyHeaders.of("libchan-ref", "3"));

            assertSpdyZlibHeader(first);
            assertArrayEquals(SYNC_FLUSH_TAIL, tail(first));
            assertArrayEquals(SYNC_FLUSH_TAIL, tail(second));
            // one stream per connection: the zlib header is not repeated
            assertNotEquals(ZLIB_PREFIX[0], second[0]);
        }
    }

    @Test
    void blocksAfterTheFirstAreStoredAndAnyInflaterReadsThem() throws Exception {
        byte[] dictionary = SpdyDictionary.copy();
        java.util.zip.Inflater plain = new java.util.zip.Inflater(); // what Go's or node's zlib does
        try (HeaderBlockCompressor c = new HeaderBlockCompressor()) {
            for (int i = 0; i < 50; i++) {
                SpdyHeaders h = SpdyHeaders.of("libchan-parent-ref", Integer.toString(i), "libchan-ref", Integer.toString(i + 1));
                byte[] raw = HeaderBlock.encode(h);
                byte[] block = c.compress(h);
                if (i > 0) {
                    // a stored block (5 bytes of header and the raw bytes), then the sync flush's empty one
                    int len = raw.length;
                    byte[] head = {0, (byte) len, (byte) (len >> 8), (byte) ~len, (byte) (~len >> 8)};
                    assertArrayEquals(Hex.concat(head, raw, Hex.bytes("00 00 00 ff ff")), block, "block " + i);
                }
                plain.setInput(block);
                byte[] back = new byte[raw.length];
                int n = plain.inflate(back);
                if (n == 0 && plain.needsDictionary()) {
                    plain.setDictionary(dictionary);
                    n = plain.inflate(back);
                }
                assertEquals(raw.length, n, "block " + i);
                assertArrayEquals(raw, back, "block " + i);
            }
        } finally {
            plain.end();
        }
    }

    @Test
    void blocksRoundTripThroughOneSharedContextInOrder() throws SpdyProtocolException {
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            for (int i = 0; i < 200; i++) {
                SpdyHeaders h = SpdyHeaders.of("libchan-parent-ref", Integer.toString(i),
                        "libchan-ref", Integer.toString(i + 1), ":status", "200");
                byte[] block = c.compress(h);
                assertEquals(h, d.decompress(block, 0, block.length));
            }
        }
    }

    @Test
    void aStoredBlockOverSixtyFourKibibytesIsSplitAndReadBackByZlibAndByHand() throws Exception {
        SpdyHeaders big = SpdyHeaders.of("big", "v".repeat(70_000) + "x".repeat(70_000));
        byte[] raw = HeaderBlock.encode(big);
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor zlib = new HeaderBlockDecompressor(limits(raw.length));
                HeaderBlockDecompressor byHand = new HeaderBlockDecompressor(limits(raw.length))) {
            byte[] first = c.compress(SpdyHeaders.of("libchan-ref", "1"));
            byte[] second = c.compress(big);
            assertEquals(raw.length + 3 * 5 + 5, second.length, "three stored blocks and the sync flush");

            assertEquals(SpdyHeaders.of("libchan-ref", "1"), zlib.decompress(first, 0, first.length));
            assertEquals(big, zlib.decompress(second, 0, second.length));
            byHand.decompress(first, 0, first.length);
            byHand.peerStoresBlocks();
            assertEquals(big, byHand.decompress(second, 0, second.length));
        }
    }

    @Test
    void oncePromisedStoredBlocksAreReadWithoutZlibInOrder() throws SpdyProtocolException {
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            byte[] first = c.compress(SpdyHeaders.of("libchan-ext", "stored-headers"));
            d.decompress(first, 0, first.length);
            d.peerStoresBlocks();
            long inflated = d.bytesInflated();
            for (int i = 0; i < 200; i++) {
                SpdyHeaders h = SpdyHeaders.of("libchan-parent-ref", Integer.toString(i), "libchan-ref", Integer.toString(i + 1));
                byte[] block = c.compress(h);
                assertEquals(h, d.decompress(block, 0, block.length));
            }
            assertEquals(inflated, d.bytesInflated(), "zlib was not used");
        }
    }

    @Test
    void oncePromisedACodedOrMalformedStoredBlockIsAProtocolError() {
        byte[] goFirst = Hex.bytes("78 f9 e3 c6 a7 c2 62 60 60 60 04 65 9d 9c cc a4 e4 8c c4"
                + " 3c dd a2 d4 34 90 90 11 00 00 00 ff ff");
        byte[] raw = HeaderBlock.encode(SpdyHeaders.of("a", "b"));
        byte[] badComplement = Hex.concat(Hex.bytes("00"), new byte[] {(byte) raw.length, 0, 0, 0}, raw, Hex.bytes("00 00 00 ff ff"));
        byte[] pastTheEnd = Hex.concat(Hex.bytes("00"), new byte[] {(byte) (raw.length + 1), 0, (byte) ~(raw.length + 1), (byte) 0xff}, raw);
        byte[] cut = Hex.bytes("00 05 00");
        byte[] goSecond = Hex.bytes("02 e5 1a 2c e2 c6 a0 7c 0a 13 2b 48 2c 02 17 48 50 2d 00 00 00 00 ff ff");
        for (byte[] bad : List.of(goSecond, badComplement, pastTheEnd, cut)) {
            try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
                assertDoesNotThrow(() -> d.decompress(goFirst, 0, goFirst.length));
                d.peerStoresBlocks();
                SpdyProtocolException e = assertThrows(SpdyProtocolException.class, () -> d.decompress(bad, 0, bad.length),
                        Hex.hex(bad));
                assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, e.goAwayStatus());
            }
        }
    }

    @Test
    void oncePromisedStoredBlocksPastTheSizeLimitAreRefused() {
        SpdyHeaders h = SpdyHeaders.of("n", "v".repeat(100));
        int size = HeaderBlock.encode(h).length;
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(limits(size - 1))) {
            byte[] first = c.compress(SpdyHeaders.of("a", "b"));
            assertDoesNotThrow(() -> d.decompress(first, 0, first.length));
            d.peerStoresBlocks();
            byte[] block = c.compress(h);
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class, () -> d.decompress(block, 0, block.length));
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
        }
    }

    @Test
    void largeBlocksSpanningManyOutputBuffersRoundTrip() throws SpdyProtocolException {
        String big = "v".repeat(40_000) + "x".repeat(20_000);
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            SpdyHeaders h = SpdyHeaders.of("big", big);
            byte[] block = c.compress(h);
            assertEquals(h, d.decompress(block, 0, block.length));
        }
    }

    @Test
    void decompressesGoBlocksWithAPerDirectionContext() throws SpdyProtocolException {
        try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            byte[] first = Hex.bytes("78 f9 e3 c6 a7 c2 62 60 60 60 04 65 9d 9c cc a4 e4 8c c4"
                    + " 3c dd a2 d4 34 90 90 11 00 00 00 ff ff");
            byte[] second = Hex.bytes("02 e5 1a 2c e2 c6 a0 7c 0a 13 2b 48 2c 02 17 48 50 2d"
                    + " 00 00 00 00 ff ff");

            assertEquals(SpdyHeaders.of("libchan-ref", "2"), d.decompress(first, 0, first.length));
            SpdyHeaders h = d.decompress(second, 0, second.length);
            assertEquals("2", h.get("libchan-parent-ref"));
            assertEquals("3", h.get("libchan-ref"));
        }
    }

    @Test
    void blockExactlyAtTheSizeLimitIsAccepted() throws SpdyProtocolException {
        SpdyHeaders h = SpdyHeaders.of("n", "v".repeat(100));
        int size = HeaderBlock.encode(h).length;
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(limits(size))) {
            byte[] block = c.compress(h);
            assertEquals(h, d.decompress(block, 0, block.length));
        }
    }

    @Test
    void blockOneByteOverTheSizeLimitIsRefused() {
        SpdyHeaders h = SpdyHeaders.of("n", "v".repeat(100));
        int size = HeaderBlock.encode(h).length;
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(limits(size - 1))) {
            byte[] block = c.compress(h);
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> d.decompress(block, 0, block.length));
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
        }
    }

    @Test
    void decompressionBombFailsAtTheLimitWithoutInflatingTheRest() {
        int bombSize = 16 << 20;
        byte[] bomb = deflateWithSpdyDictionary(new byte[bombSize]);
        assertTrue(bomb.length < 20_000, "bomb is small: " + bomb.length);

        try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> d.decompress(bomb, 0, bomb.length));

            assertFalse(e.isStreamError());
            assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, e.goAwayStatus());
            assertTrue(d.bytesInflated() <= SpdyLimits.DEFAULT.maxHeaderBlockSize() + 1,
                    "inflated " + d.bytesInflated());
            // the shared context is gone: the connection must end
            assertThrows(IllegalStateException.class, () -> d.decompress(bomb, 0, 1));
        }
    }

    @Test
    void blockCompressedWithAnotherDictionaryIsAProtocolError() {
        Deflater deflater = new Deflater(9);
        deflater.setDictionary("not the spdy dictionary".getBytes());
        byte[] block = deflate(deflater, HeaderBlock.encode(SpdyHeaders.of("a", "b")));

        try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> d.decompress(block, 0, block.length));
            assertTrue(e.getMessage().contains("dictionary"), e.getMessage());
        }
    }

    @Test
    void corruptBlockIsAProtocolError() {
        byte[] garbage = Hex.bytes("78 f9 e3 c6 a7 c2 ff ff ff ff ff ff");
        try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            assertThrows(SpdyProtocolException.class,
                    () -> d.decompress(garbage, 0, garbage.length));
        }
    }

    @Test
    void tooManyHeadersIsAProtocolError() {
        SpdyHeaders.Builder b = SpdyHeaders.builder();
        for (int i = 0; i < 257; i++) {
            b.add("h" + i, "");
        }
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            byte[] block = c.compress(b.build());
            SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                    () -> d.decompress(block, 0, block.length));
            assertTrue(e.getMessage().contains("too many"), e.getMessage());
        }
    }

    @Test
    void emptyBlockMeansNoHeaders() throws SpdyProtocolException {
        try (HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            assertEquals(SpdyHeaders.EMPTY, d.decompress(new byte[0], 0, 0));
        }
    }

    @Test
    void oversizedBlockIsRefusedBeforeTouchingTheStream() throws SpdyProtocolException {
        try (HeaderBlockCompressor c = new HeaderBlockCompressor();
                HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT)) {
            SpdyHeaders huge =
                    SpdyHeaders.of("h", "x".repeat(HeaderBlockCompressor.MAX_UNCOMPRESSED));
            assertThrows(IllegalArgumentException.class, () -> c.compress(huge));

            byte[] block = c.compress(SpdyHeaders.of("a", "b"));
            assertSpdyZlibHeader(block);
            assertEquals(SpdyHeaders.of("a", "b"), d.decompress(block, 0, block.length));
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        HeaderBlockCompressor c = new HeaderBlockCompressor();
        HeaderBlockDecompressor d = new HeaderBlockDecompressor(SpdyLimits.DEFAULT);
        c.close();
        c.close();
        d.close();
        d.close();

        assertThrows(IllegalStateException.class, () -> c.compress(SpdyHeaders.EMPTY));
        assertThrows(IllegalStateException.class, () -> d.decompress(new byte[1], 0, 1));
    }

    static byte[] deflateWithSpdyDictionary(byte[] raw) {
        Deflater deflater = new Deflater(9);
        deflater.setDictionary(SpdyDictionary.copy());
        return deflate(deflater, raw);
    }

    private static byte[] deflate(Deflater deflater, byte[] raw) {
        deflater.setInput(raw);
        byte[] out = new byte[raw.length + 1024];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static SpdyLimits limits(int maxHeaderBlockSize) {
        return new SpdyLimits(SpdyProtocol.MAX_FRAME_LENGTH, 65536, maxHeaderBlockSize, 256);
    }

    private static byte[] tail(byte[] block) {
        return Arrays.copyOfRange(block, block.length - 4, block.length);
    }
}
