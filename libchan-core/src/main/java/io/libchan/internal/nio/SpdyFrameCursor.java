package io.libchan.internal.nio;

import java.nio.ByteBuffer;

/**
 * Follows the SPDY frame boundaries in a byte stream that is handed over in pieces (the plaintext
 * {@link TlsIo} wraps), and says where a record may end so that it holds whole frames only. Every
 * frame is an 8-byte header whose last three bytes are the length of what follows (PROTOCOL.md
 * section 3). Not thread-safe: the owner serialises calls.
 */
final class SpdyFrameCursor {
    private static final int HEAD = 8;

    /** The current frame's header as far as it has been passed; {@code headHave} of its bytes. */
    private final byte[] head = new byte[HEAD];
    private int headHave;
    /** Bytes of the current frame's payload still to pass; 0 at a boundary or inside a header. */
    private long payloadLeft;

    /** Passes the bytes {@code b[from..to)} (absolute indexes), which follow those passed before. */
    void advance(ByteBuffer b, int from, int to) {
        int p = from;
        while (p < to) {
            if (payloadLeft == 0) {
                while (headHave < HEAD && p < to) {
                    head[headHave++] = b.get(p++);
                }
                if (headHave < HEAD) {
                    return;
                }
                headHave = 0;
                payloadLeft = length(head, 0);
                continue;
            }
            int n = (int) Math.min(payloadLeft, to - p);
            p += n;
            payloadLeft -= n;
        }
    }

    /**
     * How many of the bytes from {@code b}'s position the next record of at most {@code max} bytes
     * should take: the rest of a frame begun earlier, then as many whole frames as fit. A frame
     * longer than {@code max}, or one whose end is not in {@code b} yet, is cut (it cannot be helped).
     */
    int recordLength(ByteBuffer b, int max) {
        int start = b.position();
        int end = start + Math.min(b.remaining(), max);
        int p = start;
        if (headHave > 0 || payloadLeft > 0) {
            long rest = restOfCurrent(b, start);
            if (rest < 0 || start + rest >= end) {
                return end - start;
            }
            p += (int) rest;
        }
        while (p < end) {
            if (b.limit() - p < HEAD) {
                break;
            }
            long size = HEAD + length(b, p);
            if (p + size > end) {
                break;
            }
            p += (int) size;
        }
        return p > start ? p - start : end - start;
    }

    /** Bytes from {@code at} to the end of the frame in progress, or -1 when its header is not all there. */
    private long restOfCurrent(ByteBuffer b, int at) {
        if (headHave == 0) {
            return payloadLeft;
        }
        int need = HEAD - headHave;
        if (b.limit() - at < need) {
            return -1;
        }
        byte[] h = head.clone();
        for (int i = 0; i < need; i++) {
            h[headHave + i] = b.get(at + i);
        }
        return need + length(h, 0);
    }

    private static int length(byte[] h, int off) {
        return ((h[off + 5] & 0xff) << 16) | ((h[off + 6] & 0xff) << 8) | (h[off + 7] & 0xff);
    }

    private static int length(ByteBuffer b, int p) {
        return ((b.get(p + 5) & 0xff) << 16) | ((b.get(p + 6) & 0xff) << 8) | (b.get(p + 7) & 0xff);
    }
}
