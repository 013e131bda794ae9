package io.libchan.internal.spdy;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses header blocks for one direction of one connection: a single zlib stream (SPDY/3
 * dictionary) lives as long as the connection, and each block ends with a sync flush
 * ({@code 00 00 ff ff}) so the peer can inflate it on its own. The first block is coded and starts
 * with the zlib header and the dictionary's id {@code e3 c6 a7 c2}; every later one is stored
 * (see below).
 *
 * <p>Not thread-safe, and order-sensitive: blocks must reach the wire in the order they were
 * compressed, or the peer's inflater desynchronizes and the connection is lost. Holds native
 * memory until the first block is compressed or {@link #close()}.
 */
public final class HeaderBlockCompressor implements AutoCloseable {
    /**
     * Largest uncompressed block accepted. Checked before compressing, because a block that
     * then failed to fit a frame would already have advanced the shared zlib stream; at half
     * the frame maximum, deflate's worst-case growth still fits.
     */
    public static final int MAX_UNCOMPRESSED = SpdyProtocol.MAX_FRAME_LENGTH / 2;

    // The first block is compressed (zlib header 78 bb at level 6; Go writes 78 f9 at level 9);
    // every later block is stored, which any inflater reads the same way. Coding a header block of
    // some 50 bytes cost about 1.5 us per block (zlib builds Huffman trees at every sync flush): a
    // third of the CPU of a request on a new reply channel, to save about 56 bytes. Stored blocks need no zlib state,
    // so they are written here (storedBlocks) and the deflater is freed after the first block:
    // going through Deflater at level 0 still cost two JNI array pins and an Adler-32 per block.
    // PROTOCOL.md says so.
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    /** Largest payload of one stored deflate block (its LEN field is 16 bits). */
    private static final int STORED_MAX = 0xffff;
    private static final byte[] SYNC_FLUSH = {0, 0, 0, (byte) 0xff, (byte) 0xff};
    private boolean firstDone;
    private boolean closed;

    public HeaderBlockCompressor() {
        SpdyDictionary.applyTo(deflater);
    }

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
            return storedBlocks(raw);
        }
        firstDone = true;
        try {
            return deflateFirst(raw);
        } finally {
            deflater.end();
        }
    }

    private byte[] deflateFirst(byte[] raw) {
        byte[] out = new byte[raw.length + 64];
        int n = 0;
        deflater.setInput(raw);
        while (true) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int room = out.length - n;
            int written = deflater.deflate(out, n, room, Deflater.SYNC_FLUSH);
            n += written;
            // a full buffer may hide pending output (Deflater's contract for SYNC_FLUSH)
            if (written < room) {
                return Arrays.copyOf(out, n);
            }
        }
    }

    /**
     * {@code raw} as stored deflate blocks, then the empty stored block of a sync flush: what zlib
     * writes at level 0. The previous block ended with a sync flush, so each block header starts
     * on a byte: {@code 00} (not final, type 00, padding), LEN and its complement NLEN (16 bits,
     * little-endian), then LEN raw bytes.
     */
    static byte[] storedBlocks(byte[] raw) {
        int blocks = Math.max(1, (raw.length + STORED_MAX - 1) / STORED_MAX);
        byte[] out = new byte[raw.length + 5 * blocks + SYNC_FLUSH.length];
        int n = 0;
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

    /** Frees the native zlib state; idempotent. */
    @Override
    public void close() {
        closed = true;
        deflater.end();
    }
}
