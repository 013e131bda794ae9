package io.libchan.internal.codec.msgpack;

import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.spi.MessageFramer;

/**
 * Finds where one msgpack value ends, resumably, checking limits as it goes: a length or count
 * that cannot fit in the size limit fails from its header (a 2 GiB string, a map declaring 10 M
 * entries), nesting past the depth limit fails, and the never-used byte 0xc1 is rejected.
 * Hand-written because no msgpack library offers a resumable, allocation-free boundary scan, and
 * the continuous-stream framing of Go HEAD needs one. Not thread-safe: one per stream.
 */
public final class MsgpackFramer implements MessageFramer {
    private final int maxBytes;
    private final int maxDepth;
    // state of the message being scanned, relative to its start:
    private int pos;
    private long skip;               // payload bytes still to pass over
    private long[] remaining;        // values still expected at each open level; [0] is the top (grown on demand)
    private int depth;

    public MsgpackFramer(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.remaining = new long[Math.min(maxDepth, 7) + 1]; // one per stream: most messages nest little
        reset();
    }

    private void reset() {
        pos = 0;
        skip = 0;
        depth = 0;
        remaining[0] = 1;
    }

    @Override
    public int scan(byte[] buf, int start, int end) {
        int available = end - start;
        while (true) {
            if (skip > 0) {
                long n = Math.min(skip, available - pos);
                pos += (int) n;
                skip -= n;
                if (skip > 0) {
                    return -1;
                }
            }
            while (depth > 0 && remaining[depth] == 0) {
                depth--;
            }
            if (depth == 0 && remaining[0] == 0) {
                int length = pos;
                reset();
                return start + length;
            }
            if (pos >= available) {
                return -1;
            }
            if (!header(buf, start, available)) {
                return -1;
            }
            if (pos > maxBytes) {
                throw tooLarge(pos);
            }
        }
    }

    /** Consumes one value header at pos; false when the header itself is not complete yet. */
    private boolean header(byte[] buf, int start, int available) {
        int b = buf[start + pos] & 0xff;
        int lengthBytes;
        long payload = 0;
        long children = -1; // >= 0: a container with this many values
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            lengthBytes = 0;
        } else if (b <= 0x8f) {
            lengthBytes = 0;
            children = 2L * (b & 0x0f);
        } else if (b <= 0x9f) {
            lengthBytes = 0;
            children = b & 0x0f;
        } else if (b <= 0xbf) {
            lengthBytes = 0;
            payload = b & 0x1f;
        } else {
            switch (b) {
                case 0xc4: case 0xd9: lengthBytes = 1; break;
                case 0xc5: case 0xda: lengthBytes = 2; break;
                case 0xc6: case 0xdb: lengthBytes = 4; break;
                case 0xc7: lengthBytes = 1; break;
                case 0xc8: lengthBytes = 2; break;
                case 0xc9: lengthBytes = 4; break;
                case 0xca: lengthBytes = 0; payload = 4; break;
                case 0xcb: lengthBytes = 0; payload = 8; break;
                case 0xcc: case 0xd0: lengthBytes = 0; payload = 1; break;
                case 0xcd: case 0xd1: lengthBytes = 0; payload = 2; break;
                case 0xce: case 0xd2: lengthBytes = 0; payload = 4; break;
                case 0xcf: case 0xd3: lengthBytes = 0; payload = 8; break;
                case 0xd4: lengthBytes = 0; payload = 2; break;
                case 0xd5: lengthBytes = 0; payload = 3; break;
                case 0xd6: lengthBytes = 0; payload = 5; break;
                case 0xd7: lengthBytes = 0; payload = 9; break;
                case 0xd8: lengthBytes = 0; payload = 17; break;
                case 0xdc: lengthBytes = 2; break;
                case 0xdd: lengthBytes = 4; break;
                case 0xde: lengthBytes = 2; break;
                case 0xdf: lengthBytes = 4; break;
                default: // 0xc1
                    throw new ProtocolException("invalid msgpack: byte 0xc1 (never used) at offset " + pos);
            }
        }
        if (pos + 1 + lengthBytes > available) {
            return false;
        }
        if (lengthBytes > 0) {
            long n = 0;
            for (int i = 1; i <= lengthBytes; i++) {
                n = (n << 8) | (buf[start + pos + i] & 0xff);
            }
            if (b == 0xdc || b == 0xdd) {
                children = n;
            } else if (b == 0xde || b == 0xdf) {
                children = 2 * n;
            } else if (b >= 0xc7 && b <= 0xc9) {
                payload = n + 1; // ext: type byte + data
            } else {
                payload = n;
            }
        }
        pos += 1 + lengthBytes;
        remaining[depth]--;
        if (payload > 0) {
            if (pos + payload > maxBytes) {
                throw tooLarge(pos + payload);
            }
            skip = payload;
        }
        if (children > 0) {
            // every value takes at least one byte: a count that cannot fit is refused now
            if (pos + children > maxBytes) {
                throw tooLarge(pos + children);
            }
            if (depth == maxDepth) {
                throw new ProtocolException("msgpack message nested deeper than " + maxDepth + " levels");
            }
            if (++depth == remaining.length) {
                remaining = java.util.Arrays.copyOf(remaining, Math.min(maxDepth, 2 * depth) + 1);
            }
            remaining[depth] = children;
        }
        return true;
    }

    private MessageTooLargeException tooLarge(long size) {
        return new MessageTooLargeException("message of at least " + size + " bytes is over the limit of " + maxBytes);
    }
}
