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

    // level 6, not Go's 9: the same bytes for our short header blocks at an eighth of the CPU
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
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
        deflater.setInput(raw);
        int n = 0;
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

    /** Frees the native zlib state; idempotent. */
    @Override
    public void close() {
        closed = true;
        deflater.end();
    }
}
