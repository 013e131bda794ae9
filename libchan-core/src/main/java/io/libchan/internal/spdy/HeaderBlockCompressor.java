package io.libchan.internal.spdy;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses header blocks for one direction of one connection: a single zlib stream (level 9,
 * SPDY/3 dictionary) lives as long as the connection, and each block ends with a sync flush
 * ({@code 00 00 ff ff}) so the peer can inflate it on its own. The first block therefore starts
 * {@code 78 f9 e3 c6 a7 c2}.
 *
 * <p>Not thread-safe, and order-sensitive: blocks must reach the wire in the order they were
 * compressed, or the peer's inflater desynchronizes and the connection is lost. Holds native
 * memory until {@link #close()}.
 */
public final class HeaderBlockCompressor implements AutoCloseable {
    /**
     * Largest uncompressed block accepted. Checked before compressing, because a block that
     * then failed to fit a frame would already have advanced the shared zlib stream; at half
     * the frame maximum, deflate's worst-case growth still fits.
     */
    public static final int MAX_UNCOMPRESSED = SpdyProtocol.MAX_FRAME_LENGTH / 2;

    // The first block is compressed (its zlib header starts 78 f9 as Go's does); every later block
    // is stored (deflate level 0), which any inflater reads the same way. Coding a header block of
    // some 50 bytes cost about 1.5 us per block (zlib builds Huffman trees at every sync flush): a
    // third of the CPU of a request on a new reply channel, to save about 56 bytes. PROTOCOL.md says so.
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private static final byte[] NOTHING = new byte[0];
    private boolean firstDone;
    private boolean stored;
    private byte[] out = new byte[256];
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
        int n = 0;
        if (firstDone && !stored) {
            // switch with nothing pending: given input, zlib would code it at the old level with a
            // block flush, not a sync flush. Whatever the switch emits goes out ahead of this block.
            stored = true;
            deflater.setLevel(Deflater.NO_COMPRESSION);
            deflater.setInput(NOTHING);
            n = deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH);
        }
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
                break;
            }
        }
        firstDone = true;
        return Arrays.copyOf(out, n);
    }

    /** Frees the native zlib state; idempotent. */
    @Override
    public void close() {
        closed = true;
        deflater.end();
    }
}
