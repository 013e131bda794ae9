package io.libchan.internal.codec.msgpack;

import io.libchan.Dialect;
import io.libchan.MessageTooLargeException;
import io.libchan.ProtocolException;
import io.libchan.spi.MessageFramer;

/**
 * Finds where one msgpack value ends, fed piece by piece, checking limits as it goes: a length or count
 * that cannot fit in the size limit fails from its header (a 2 GiB string, a map declaring 10 M
 * entries), nesting past the depth limit fails, and the never-used byte 0xc1 is rejected.
 * Hand-written because no msgpack library offers a resumable, allocation-free boundary scan, and
 * the continuous-stream framing of Go HEAD needs one. Not thread-safe: one per stream.
 */
public final class MsgpackFramer implements MessageFramer {
    /** A value header is at most a type byte, a 4-byte length and an ext type (the 8-byte lengths of msgpack are not lengths). */
    private static final int MAX_HEADER = 9;
    private final int maxBytes;
    private final int maxDepth;
    /** The dialect whose ext types are allowed, or null to let any ext value through. */
    private final Dialect dialect;
    // state of the message being scanned:
    private long pos;                // bytes of the message fed so far
    private long skip;               // payload bytes still to pass over
    private long[] remaining;        // values still expected at each open level; [0] is the top (grown on demand)
    private int depth;
    /** The start of a value header that the last piece cut off (at most {@value #MAX_HEADER} - 1 bytes). */
    private byte[] carry; // made when a header is first cut off: most streams never see one
    private int carried;

    /** A framer that lets every ext value through (its decoder checks them). */
    public MsgpackFramer(int maxBytes, int maxDepth) {
        this(maxBytes, maxDepth, null);
    }

    /** A framer that refuses ext values {@code dialect} does not define ({@link ProtocolException}). */
    public MsgpackFramer(int maxBytes, int maxDepth, Dialect dialect) {
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.dialect = dialect;
        // one per stream (every reply channel has one): most messages nest a level or two
        this.remaining = new long[Math.min(maxDepth, 2) + 1];
        reset();
    }

    private void reset() {
        pos = 0;
        skip = 0;
        depth = 0;
        carried = 0;
        remaining[0] = 1;
    }

    @Override
    public int feed(byte[] buf, int off, int len) {
        int i = 0; // bytes of this piece taken so far
        while (true) {
            if (skip > 0) {
                long n = Math.min(skip, len - i);
                i += (int) n;
                pos += n;
                skip -= n;
                if (skip > 0) {
                    return -1;
                }
            }
            while (depth > 0 && remaining[depth] == 0) {
                depth--;
            }
            if (depth == 0 && remaining[0] == 0) {
                reset();
                return i;
            }
            if (i >= len) {
                return -1;
            }
            int taken = header(buf, off + i, len - i);
            if (taken < 0) {
                return -1; // the header goes on in the next piece: its start is carried
            }
            i += taken;
            if (pos > maxBytes) {
                throw tooLarge(pos);
            }
        }
    }

    /** The header byte {@code k} of the value header being read: from the carry, then from {@code buf[p..]}. */
    private int headerByte(byte[] buf, int p, int k) {
        return (k < carried ? carry[k] : buf[p + k - carried]) & 0xff;
    }

    /**
     * Consumes one value header, its first {@link #carried} bytes carried over from the last piece
     * and the rest at {@code buf[p..p+available)}.
     *
     * @return the bytes taken from {@code buf}, or -1 when the header is not complete yet (then all
     *         {@code available} bytes were carried)
     */
    private int header(byte[] buf, int p, int available) {
        int b = headerByte(buf, p, 0);
        int lengthBytes;
        long payload = 0;
        long children = -1; // >= 0: a container with this many values
        boolean ext = false; // the header ends with an ext value's type byte
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
                case 0xc7: lengthBytes = 1; ext = true; break;
                case 0xc8: lengthBytes = 2; ext = true; break;
                case 0xc9: lengthBytes = 4; ext = true; break;
                case 0xca: lengthBytes = 0; payload = 4; break;
                case 0xcb: lengthBytes = 0; payload = 8; break;
                case 0xcc: case 0xd0: lengthBytes = 0; payload = 1; break;
                case 0xcd: case 0xd1: lengthBytes = 0; payload = 2; break;
                case 0xce: case 0xd2: lengthBytes = 0; payload = 4; break;
                case 0xcf: case 0xd3: lengthBytes = 0; payload = 8; break;
                case 0xd4: lengthBytes = 0; payload = 1; ext = true; break;
                case 0xd5: lengthBytes = 0; payload = 2; ext = true; break;
                case 0xd6: lengthBytes = 0; payload = 4; ext = true; break;
                case 0xd7: lengthBytes = 0; payload = 8; ext = true; break;
                case 0xd8: lengthBytes = 0; payload = 16; ext = true; break;
                case 0xdc: lengthBytes = 2; break;
                case 0xdd: lengthBytes = 4; break;
                case 0xde: lengthBytes = 2; break;
                case 0xdf: lengthBytes = 4; break;
                default: // 0xc1
                    throw new ProtocolException("invalid msgpack: byte 0xc1 (never used) at offset " + pos);
            }
        }
        int size = 1 + lengthBytes + (ext ? 1 : 0);
        if (carried + available < size) {
            if (carry == null) {
                carry = new byte[MAX_HEADER];
            }
            System.arraycopy(buf, p, carry, carried, available);
            carried += available;
            pos += available;
            return -1;
        }
        if (lengthBytes > 0) {
            long n = 0;
            for (int k = 1; k <= lengthBytes; k++) {
                n = (n << 8) | headerByte(buf, p, k);
            }
            if (b == 0xdc || b == 0xdd) {
                children = n;
            } else if (b == 0xde || b == 0xdf) {
                children = 2 * n;
            } else if (ext) {
                payload = n; // the data after the type byte
            } else {
                payload = n;
            }
        }
        if (ext && dialect != null) {
            String bad = ExtCodes.shapeError(dialect, (byte) headerByte(buf, p, size - 1), payload);
            if (bad != null) {
                throw new ProtocolException(bad);
            }
        }
        int taken = size - carried;
        pos += taken;
        carried = 0;
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
        return taken;
    }

    private MessageTooLargeException tooLarge(long size) {
        return new MessageTooLargeException("message of at least " + size + " bytes is over the limit of " + maxBytes);
    }
}
