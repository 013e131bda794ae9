package io.libchan.internal.spdy;

/**
 * Compresses header blocks for one direction of one connection: a single zlib stream (SPDY/3
 * dictionary) lives as long as the connection, and each block ends with a sync flush
 * ({@code 00 00 ff ff}) so the peer can inflate it on its own. Every block is made of stored
 * deflate blocks, the first one preceded by the zlib header and the dictionary's id
 * {@code 78 bb e3 c6 a7 c2} (see below).
 *
 * <p>Not thread-safe, and order-sensitive: blocks must reach the wire in the order they were
 * compressed, or the peer's inflater desynchronizes and the connection is lost. Holds no native
 * memory.
 */
public final class HeaderBlockCompressor implements AutoCloseable {
    /**
     * Largest uncompressed block accepted. Checked before compressing, because a block that
     * then failed to fit a frame would already have advanced the shared zlib stream; at half
     * the frame maximum, deflate's worst-case growth still fits.
     */
    public static final int MAX_UNCOMPRESSED = SpdyProtocol.MAX_FRAME_LENGTH / 2;

    // Every block is stored, which any inflater reads the same way (PROTOCOL.md says so). Coding a
    // header block of some 50 bytes cost about 1.5 us per block (zlib builds Huffman trees at every
    // sync flush): a third of the CPU of a request on a new reply channel, to save about 56 bytes.
    // And a JDK Deflater holds some 256 KiB of native memory from its creation (zlib's deflate
    // state at window 15, memory level 8, which the JDK hard-codes), 82 KiB of it resident: more
    // than a whole idle connection may cost. Stored blocks need no zlib state, so they are written
    // here by hand, and the zlib header that announces the SPDY dictionary (FDICT) is written as
    // zlib would: 78 (deflate, 32 KiB window), bb (default level, FDICT, check bits), then the
    // dictionary's Adler-32. Blocks that never refer back to earlier output are valid whatever
    // dictionary the inflater was primed with.
    private static final byte[] ZLIB_HEADER = {0x78, (byte) 0xbb, (byte) 0xe3, (byte) 0xc6, (byte) 0xa7, (byte) 0xc2};
    /** Largest payload of one stored deflate block (its LEN field is 16 bits). */
    private static final int STORED_MAX = 0xffff;
    private static final byte[] SYNC_FLUSH = {0, 0, 0, (byte) 0xff, (byte) 0xff};
    private boolean firstDone;
    private boolean closed;

    /**
     * Compresses one header block.
     *
     * @return the compressed bytes, a fresh array ending with {@code 00 00 ff ff}
     * @throws IllegalArgumentException if the uncompressed block exceeds
     *                                  {@link #MAX_UNCOMPRESSED}; nothing was compressed, so the
     *                                  compressor stays usable
     * @throws IllegalStateException    if closed
     */
    public byte[] compress(SpdyHeaders headers) {
        if (closed) {
            throw new IllegalStateException("header compressor is closed");
        }
        byte[] raw = HeaderBlock.encode(headers);
        if (raw.length > MAX_UNCOMPRESSED) {
            throw new IllegalArgumentException("header block of " + raw.length
                    + " bytes is over " + MAX_UNCOMPRESSED);
        }
        if (firstDone) {
            return storedBlocks(raw, 0);
        }
        firstDone = true;
        byte[] block = storedBlocks(raw, ZLIB_HEADER.length);
        System.arraycopy(ZLIB_HEADER, 0, block, 0, ZLIB_HEADER.length);
        return block;
    }

    /**
     * {@code raw} as stored deflate blocks, then the empty stored block of a sync flush: what zlib
     * writes at level 0, starting at {@code skip}. The previous block ended with a sync flush (or
     * the zlib header precedes), so each block header starts on a byte: {@code 00} (not final,
     * type 00, padding), LEN and its complement NLEN (16 bits, little-endian), then LEN raw bytes.
     */
    static byte[] storedBlocks(byte[] raw, int skip) {
        int blocks = Math.max(1, (raw.length + STORED_MAX - 1) / STORED_MAX);
        byte[] out = new byte[skip + raw.length + 5 * blocks + SYNC_FLUSH.length];
        int n = skip;
        for (int from = 0; from < raw.length; from += STORED_MAX) {
            int len = Math.min(STORED_MAX, raw.length - from);
            out[n] = 0;
            out[n + 1] = (byte) len;
            out[n + 2] = (byte) (len >>> 8);
            out[n + 3] = (byte) ~len;
            out[n + 4] = (byte) (~len >>> 8);
            System.arraycopy(raw, from, out, n + 5, len);
            n += 5 + len;
        }
        System.arraycopy(SYNC_FLUSH, 0, out, out.length - SYNC_FLUSH.length, SYNC_FLUSH.length);
        return out;
    }

    /** Refuses further use; idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
