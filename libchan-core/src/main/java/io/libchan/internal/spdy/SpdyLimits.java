package io.libchan.internal.spdy;

/**
 * Bounds the decoder enforces on untrusted input, so a hostile or broken peer cannot make us
 * buffer or inflate without limit. Immutable.
 *
 * @param maxDataFrameLength   largest DATA payload accepted, at most the protocol maximum
 *                             {@link SpdyProtocol#MAX_FRAME_LENGTH}
 * @param maxControlFrameLength largest control frame payload accepted (this also bounds the
 *                             compressed header block and skipped unknown frames)
 * @param maxHeaderBlockSize   largest header block after decompression
 * @param maxHeaderCount       most headers in one block
 */
public record SpdyLimits(int maxDataFrameLength, int maxControlFrameLength,
        int maxHeaderBlockSize, int maxHeaderCount) {

    /**
     * DATA up to the protocol maximum (Go writes frames up to 16 MiB - 1), header blocks up to
     * 64 KiB inflated and 256 headers; a control frame may carry a full 64 KiB block even when it
     * does not compress, plus framing.
     */
    public static final SpdyLimits DEFAULT =
            new SpdyLimits(SpdyProtocol.MAX_FRAME_LENGTH, 64 * 1024 + 1024, 64 * 1024, 256);

    /** @throws IllegalArgumentException if a limit is too small to be usable or exceeds the
     *         24-bit length field */
    public SpdyLimits {
        checkFrameLimit("maxDataFrameLength", maxDataFrameLength, 1);
        // below 10 bytes not even an empty SYN_STREAM would fit
        checkFrameLimit("maxControlFrameLength", maxControlFrameLength, 10);
        if (maxHeaderBlockSize < 4) {
            throw new IllegalArgumentException("maxHeaderBlockSize < 4: " + maxHeaderBlockSize);
        }
        if (maxHeaderCount < 0) {
            throw new IllegalArgumentException("maxHeaderCount < 0: " + maxHeaderCount);
        }
    }

    private static void checkFrameLimit(String name, int value, int min) {
        if (value < min || value > SpdyProtocol.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException(name + " out of " + min + ".."
                    + SpdyProtocol.MAX_FRAME_LENGTH
                    + ": " + value);
        }
    }
}
