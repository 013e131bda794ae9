package io.libchan.internal.spdy;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates and parses header blocks for one direction of one connection: one zlib stream with
 * the SPDY/3 dictionary for the connection's whole life, so blocks must be fed in wire order.
 *
 * <p>Untrusted input is bounded: a block that would inflate past {@code maxBlockSize} fails
 * as soon as the limit is crossed, never allocating more than {@code maxBlockSize} bytes, so a
 * small "decompression bomb" costs at most that much memory and proportionate CPU.
 *
 * <p>Errors are {@link SpdyProtocolException connection errors}: the compression context is
 * shared by every stream, so after one the decompressor refuses further use. Not thread-safe.
 *
 * <p>zlib is used only when the peer codes its blocks (Go, jschan): an inflater holds some 40 KiB
 * of native memory once used, more than an idle connection may cost. A first block made of stored
 * deflate blocks (what this implementation sends) is read by hand and kept; if the peer then
 * promises stored blocks only ({@link #peerStoresBlocks()}, a Java peer) no inflater is ever made,
 * else the first coded block makes one, which reads the kept block first. An inflater made before
 * such a promise is freed by it. Native memory, if any, is held until {@link #close()}.
 */
public final class HeaderBlockDecompressor implements AutoCloseable {
    /** Made at the first block that is not stored (or that the hand reading cannot take); null before. */
    private Inflater inflater;
    /** The first block, read by hand, for an inflater made later to read first; null once not needed. */
    private byte[] firstStored;
    /** Blocks seen so far (the first may be read by hand). */
    private long blocks;
    private final int maxBlockSize;
    private final int maxHeaderCount;
    private static final byte[] NONE = new byte[0];
    private final byte[] probe = new byte[1];
    private byte[] out;
    private boolean failed;
    private boolean closed;
    /** The peer promised that its blocks from now on are stored deflate blocks only: read them without zlib. */
    private boolean peerStores;

    /** Uses {@link SpdyLimits#maxHeaderBlockSize()} and {@link SpdyLimits#maxHeaderCount()}. */
    public HeaderBlockDecompressor(SpdyLimits limits) {
        this.maxBlockSize = limits.maxHeaderBlockSize();
        this.maxHeaderCount = limits.maxHeaderCount();
        this.out = NONE; // made at the first block: an idle connection holds none
    }

    /**
     * Inflates and parses one header block. A zero-length block means no headers and leaves
     * the zlib stream untouched.
     *
     * @throws SpdyProtocolException  (connection error) if the block is corrupt, was compressed
     *                                with another dictionary, inflates past the size limit, or
     *                                is a malformed or over-long header list
     * @throws IllegalStateException  if closed or failed before
     */
    public SpdyHeaders decompress(byte[] block, int offset, int length)
            throws SpdyProtocolException {
        if (closed || failed) {
            throw new IllegalStateException("header decompressor is "
                    + (closed ? "closed" : "failed"));
        }
        if (length == 0) {
            return SpdyHeaders.EMPTY;
        }
        if (out.length == 0) {
            out = new byte[Math.min(1024, maxBlockSize)];
        }
        try {
            int n;
            if (peerStores) {
                n = unstore(block, offset, length);
            } else if (blocks == 0 && isStoredWithSpdyHeader(block, offset, length)) {
                n = unstore(block, offset + ZLIB_HEADER_LENGTH, length - ZLIB_HEADER_LENGTH);
                firstStored = java.util.Arrays.copyOfRange(block, offset, offset + length);
            } else {
                n = inflate(block, offset, length);
            }
            blocks++;
            return HeaderBlock.parse(out, n, maxHeaderCount);
        } catch (SpdyProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * From the next block on, the peer sends stored deflate blocks only (it said so with the
     * {@code stored-headers} extension, PROTOCOL.md section 8): they are copied out by hand,
     * without zlib's JNI array pinning and checksum. Stored blocks never refer back to earlier
     * output, so the inflater's window is not needed for them.
     */
    public void peerStoresBlocks() {
        peerStores = true;
        firstStored = null;
        if (inflater != null) {
            inflater.end(); // stored blocks never look back: its window is not needed
            inflater = null;
        }
    }

    private static final int ZLIB_HEADER_LENGTH = 6;

    /**
     * True when {@code block} is a zlib header that names the SPDY dictionary followed by stored
     * deflate blocks only, whole, the last one empty (a sync flush): then it reads the same by hand.
     */
    private static boolean isStoredWithSpdyHeader(byte[] block, int offset, int length) {
        if (length < ZLIB_HEADER_LENGTH + 5 || (block[offset] & 0x0f) != 8 || (block[offset + 1] & 0x20) == 0
                || ((block[offset] & 0xff) * 256 + (block[offset + 1] & 0xff)) % 31 != 0
                || block[offset + 2] != (byte) 0xe3 || block[offset + 3] != (byte) 0xc6
                || block[offset + 4] != (byte) 0xa7 || block[offset + 5] != (byte) 0xc2) {
            return false;
        }
        int pos = offset + ZLIB_HEADER_LENGTH;
        int end = offset + length;
        int last = -1;
        while (pos < end) {
            if (end - pos < 5 || block[pos] != 0) {
                return false; // not a stored block, or a final one (a later block would be an error)
            }
            int len = (block[pos + 1] & 0xff) | (block[pos + 2] & 0xff) << 8;
            int nlen = (block[pos + 3] & 0xff) | (block[pos + 4] & 0xff) << 8;
            if ((len ^ 0xffff) != nlen || len > end - pos - 5) {
                return false;
            }
            last = len;
            pos += 5 + len;
        }
        return last == 0;
    }

    /**
     * Reads {@code block[offset, offset+length)} as a run of stored deflate blocks, each starting on
     * a byte (the peer's previous block ended with a sync flush): a header byte with BFINAL 0 and
     * BTYPE 00, LEN and NLEN (16 bits, little-endian, NLEN = ~LEN), then LEN bytes.
     */
    private int unstore(byte[] block, int offset, int length) throws SpdyProtocolException {
        int pos = offset;
        int end = offset + length;
        int n = 0;
        while (pos < end) {
            if (end - pos < 5) {
                throw error("header block ends inside a stored block header", null);
            }
            if ((block[pos] & 0x07) != 0) {
                throw error("header block is not stored, though the peer promised stored-headers", null);
            }
            int len = (block[pos + 1] & 0xff) | (block[pos + 2] & 0xff) << 8;
            int nlen = (block[pos + 3] & 0xff) | (block[pos + 4] & 0xff) << 8;
            if ((len ^ 0xffff) != nlen) {
                throw error("stored block length " + len + " does not match its complement", null);
            }
            pos += 5;
            if (len > end - pos) {
                throw error("stored block of " + len + " bytes runs past the end of the header block", null);
            }
            if (len > maxBlockSize - n) {
                throw error("header block inflates to more than " + maxBlockSize + " bytes", null);
            }
            if (n + len > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(maxBlockSize, Math.max(n + len, 2L * out.length)));
            }
            System.arraycopy(block, pos, out, n, len);
            n += len;
            pos += len;
        }
        return n;
    }

    private int inflate(byte[] block, int offset, int length) throws SpdyProtocolException {
        if (inflater == null) {
            inflater = new Inflater();
            byte[] first = firstStored;
            firstStored = null;
            if (first != null) {
                inflateInto(first, 0, first.length); // the stream's history: what the peer's next block may refer to
            }
        }
        return inflateInto(block, offset, length);
    }

    private int inflateInto(byte[] block, int offset, int length) throws SpdyProtocolException {
        inflater.setInput(block, offset, length);
        int n = 0;
        try {
            while (true) {
                if (n == out.length && out.length < maxBlockSize) {
                    out = Arrays.copyOf(out, (int) Math.min(maxBlockSize, 2L * out.length));
                }
                int room = out.length - n;
                // at the limit, ask for one more byte only to learn whether the block goes on
                int got = room > 0 ? inflater.inflate(out, n, room) : inflater.inflate(probe);
                if (got > 0) {
                    if (room == 0) {
                        throw error("header block inflates to more than " + maxBlockSize
                                + " bytes", null);
                    }
                    n += got;
                } else if (inflater.needsDictionary()) {
                    useDictionary();
                } else if (inflater.needsInput()) {
                    return n;
                } else if (inflater.finished()) {
                    throw error("data after the end of the zlib stream", null);
                } else {
                    throw error("inflater made no progress", null);
                }
            }
        } catch (DataFormatException e) {
            throw error("corrupt compressed header block: " + e.getMessage(), e);
        }
    }

    private void useDictionary() throws SpdyProtocolException {
        try {
            SpdyDictionary.applyTo(inflater);
        } catch (IllegalArgumentException e) {
            throw error("header block needs a dictionary other than SPDY/3's", e);
        }
    }

    private static SpdyProtocolException error(String message, Throwable cause) {
        return SpdyProtocolException.connectionError(SpdyStatus.GOAWAY_PROTOCOL_ERROR, message,
                cause);
    }

    /** Total bytes inflated on this connection; lets tests check the bomb limit held. */
    long bytesInflated() {
        return inflater == null ? 0 : inflater.getBytesWritten();
    }

    /** True while an inflater (native memory) is held; for tests. */
    boolean holdsInflater() {
        return inflater != null;
    }

    /** Frees the native zlib state; idempotent. */
    @Override
    public void close() {
        closed = true;
        firstStored = null;
        if (inflater != null) {
            inflater.end();
        }
    }
}
