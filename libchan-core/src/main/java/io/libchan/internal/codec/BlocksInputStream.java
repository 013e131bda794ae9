package io.libchan.internal.codec;

import java.io.InputStream;

/**
 * A message that arrived in blocks, read in order as one stream: every block full but the last,
 * {@code length} bytes in all. Lets a codec parse a large message where it lies instead of
 * joining it into one array first. Not thread-safe.
 */
public final class BlocksInputStream extends InputStream {
    private final byte[][] blocks;
    private int left;
    private int block;
    private int pos;

    public BlocksInputStream(byte[][] blocks, int length) {
        this.blocks = blocks;
        this.left = length;
    }

    @Override
    public int read() {
        if (left == 0) {
            return -1;
        }
        skipFullBlocks();
        left--;
        return blocks[block][pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (left == 0) {
            return -1;
        }
        skipFullBlocks();
        int n = Math.min(Math.min(len, left), blocks[block].length - pos);
        System.arraycopy(blocks[block], pos, b, off, n);
        pos += n;
        left -= n;
        return n;
    }

    @Override
    public int available() {
        return left;
    }

    private void skipFullBlocks() {
        while (pos == blocks[block].length) {
            block++;
            pos = 0;
        }
    }
}
