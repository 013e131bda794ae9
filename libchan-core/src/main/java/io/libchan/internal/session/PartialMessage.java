package io.libchan.internal.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a message still arriving on a stream, kept in the blocks they are copied into as
 * they come, never in one growing array: no buffer is ever copied into a larger one, and a large
 * message is never one large allocation (on a small heap a 15 MiB array needs 15 MiB of free heap
 * in one piece, which a busy collector may not find). Blocks grow with the message, from 4 KiB to
 * 64 KiB; every block but the last is full, so at most one block's room is unused. Not
 * thread-safe: its stream's lock guards it.
 */
final class PartialMessage {
    private static final int MIN_BLOCK = 4 * 1024;
    private static final int MAX_BLOCK = 64 * 1024;

    private final List<byte[]> blocks = new ArrayList<>(); // no array until a message arrives in pieces
    private int length;
    private int lastFill;

    /** Bytes held so far. */
    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** Memory held beyond the bytes: the unused room of the last block. */
    int room() {
        return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).length - lastFill;
    }

    /** Copies {@code data[off..off+len)} in. */
    void append(byte[] data, int off, int len) {
        while (len > 0) {
            if (blocks.isEmpty() || lastFill == blocks.get(blocks.size() - 1).length) {
                int size = Math.max(Math.min(len, MAX_BLOCK), Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, length / 4)));
                blocks.add(new byte[size]);
                lastFill = 0;
            }
            byte[] last = blocks.get(blocks.size() - 1);
            int n = Math.min(len, last.length - lastFill);
            System.arraycopy(data, off, last, lastFill, n);
            lastFill += n;
            length += n;
            off += n;
            len -= n;
        }
    }

    /**
     * The whole message: its blocks (every one full but the last), now owned by the caller; this
     * object is empty afterwards.
     */
    byte[][] take() {
        byte[][] all = blocks.toArray(new byte[0][]);
        blocks.clear();
        length = 0;
        lastFill = 0;
        return all;
    }

    /** Drops what it holds. */
    void clear() {
        blocks.clear();
        length = 0;
        lastFill = 0;
    }
}
