package io.libchan.internal.codec.msgpack;

import io.libchan.Dialect;
import io.libchan.ProtocolException;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The msgpack extension types of the two libchan dialects (see PROTOCOL.md, "Messages").
 * HEAD: 1 duplex byte stream, 2 byte stream the decoder writes, 3 byte stream the decoder reads,
 * 4 Sender, 5 Receiver, 6 time; payload = reference id as 4 bytes big-endian, or 8 past 2^32-1;
 * a Sender opened by its reference in a trace (traced-refs) is ext 4 of 30 bytes: the 4-byte id,
 * then the traceparent in binary: version (1 byte), trace id (16), parent span id (8), flags (1).
 * v0.1.0/jschan: 1 channel with a leading direction byte (1: the decoder gets a Receiver, 2: a
 * Sender), 2 duplex byte stream. The msgpack timestamp type (-1) is read in both; ext 0x40 is a
 * passed file descriptor (our extension, both dialects, Java peers only).
 */
final class ExtCodes {
    static final byte HEAD_TIME = 6;
    /** A passed file descriptor: our extension, only sent to Java peers that accepted fd-passing. */
    static final byte FILE_DESCRIPTOR = 0x40;
    static final byte MSGPACK_TIMESTAMP = -1;

    private ExtCodes() {
    }

    static byte type(Dialect dialect, ReferenceKind kind) {
        if (kind == ReferenceKind.FILE_DESCRIPTOR) {
            return FILE_DESCRIPTOR;
        }
        if (dialect == Dialect.V0_1_0) {
            return kind.isChannel() ? (byte) 1 : (byte) 2;
        }
        switch (kind) {
            case BYTE_STREAM: return 1;
            case BYTE_STREAM_WRITE: return 2;
            case BYTE_STREAM_READ: return 3;
            case SENDER: return 4;
            default: return 5;
        }
    }

    /** The length of a traced reference's payload: id, version, trace id, parent id, flags. */
    static final int TRACED_LENGTH = 4 + 1 + 16 + 8 + 1;

    static byte[] payload(Dialect dialect, Reference ref) {
        if (ref.traceparent() != null && dialect == Dialect.HEAD && ref.kind() == ReferenceKind.SENDER) {
            return traced(ref.id(), ref.traceparent());
        }
        byte[] id = id(ref.id());
        if (dialect == Dialect.V0_1_0 && ref.kind().isChannel()) {
            byte[] out = new byte[id.length + 1];
            out[0] = ref.kind() == ReferenceKind.RECEIVER ? (byte) 1 : (byte) 2;
            System.arraycopy(id, 0, out, 1, id.length);
            return out;
        }
        return id;
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of(); // lowercase, as W3C writes it

    /** The 30 bytes of a traced reference; the session gives only ids under 2^32 and version-00 traceparents. */
    private static byte[] traced(long id, String traceparent) {
        byte[] out = new byte[TRACED_LENGTH];
        // 00-<32 hex>-<16 hex>-<2 hex>: version, trace id, parent id and flags, without the dashes
        ByteBuffer.wrap(out).putInt((int) id).put(HEX.parseHex(traceparent, 0, 2)).put(HEX.parseHex(traceparent, 3, 35))
                .put(HEX.parseHex(traceparent, 36, 52)).put(HEX.parseHex(traceparent, 53, 55));
        return out;
    }

    /** The traceparent of a traced reference's payload, as W3C writes it (lowercase hex). */
    private static String traceparent(byte[] data) {
        return HEX.formatHex(data, 4, 5) + "-" + HEX.formatHex(data, 5, 21) + "-" + HEX.formatHex(data, 21, 29)
                + "-" + HEX.formatHex(data, 29, 30);
    }

    private static byte[] id(long id) {
        if (id >= 0 && id <= 0xFFFFFFFFL) {
            return ByteBuffer.allocate(4).putInt((int) id).array();
        }
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    /**
     * Why an ext value of {@code type} with {@code length} data bytes cannot be read in
     * {@code dialect}, or null if it can: the type must be one the dialect defines and the length
     * one that type allows (its contents are checked when the message is decoded).
     */
    static String shapeError(Dialect dialect, byte type, long length) {
        boolean ok;
        if (type == MSGPACK_TIMESTAMP) {
            ok = length == 4 || length == 8 || length == 12;
        } else if (type == FILE_DESCRIPTOR) {
            ok = length == 4 || length == 8;
        } else if (dialect == Dialect.V0_1_0) {
            if (type == 1) {
                ok = length == 5 || length == 9;
            } else if (type == 2) {
                ok = length == 4 || length == 8;
            } else {
                return "msgpack ext type " + type + " is not read in the v0.1.0 dialect";
            }
        } else if (type >= 1 && type <= 5) {
            ok = length == 4 || length == 8 || (type == 4 && length == TRACED_LENGTH);
        } else if (type == HEAD_TIME) {
            ok = length == 12;
        } else {
            return "unknown msgpack ext type " + type + " in the " + dialect.id() + " dialect";
        }
        return ok ? null : "msgpack ext type " + type + " with " + length + " data bytes, a length it cannot have";
    }

    /** The reference in an ext value, or null if the type is not a reference in this dialect. */
    static Reference reference(Dialect dialect, byte type, byte[] data) {
        if (type == FILE_DESCRIPTOR) {
            return new Reference(ReferenceKind.FILE_DESCRIPTOR, readId(data, 0));
        }
        if (dialect == Dialect.V0_1_0) {
            if (type == 1) {
                if (data.length != 5 && data.length != 9) {
                    throw new ProtocolException("bad channel reference: " + data.length + " bytes (expected direction + 4 or 8)");
                }
                ReferenceKind kind;
                if (data[0] == 1) {
                    kind = ReferenceKind.RECEIVER;
                } else if (data[0] == 2) {
                    kind = ReferenceKind.SENDER;
                } else {
                    throw new ProtocolException("bad channel direction byte " + data[0]);
                }
                return new Reference(kind, readId(data, 1));
            }
            if (type == 2) {
                return new Reference(ReferenceKind.BYTE_STREAM, readId(data, 0));
            }
            if (type == 4 || type == 5) {
                throw new ProtocolException("v0.1.0 raw " + (type == 4 ? "TCP" : "UDP") + " connection references are not supported");
            }
            return null;
        }
        ReferenceKind kind;
        switch (type) {
            case 1: kind = ReferenceKind.BYTE_STREAM; break;
            case 2: kind = ReferenceKind.BYTE_STREAM_WRITE; break;
            case 3: kind = ReferenceKind.BYTE_STREAM_READ; break;
            case 4: kind = ReferenceKind.SENDER; break;
            case 5: kind = ReferenceKind.RECEIVER; break;
            default: return null;
        }
        if (type == 4 && data.length == TRACED_LENGTH) {
            return new Reference(kind, ByteBuffer.wrap(data).getInt() & 0xFFFFFFFFL, traceparent(data));
        }
        return new Reference(kind, readId(data, 0));
    }

    private static long readId(byte[] data, int off) {
        int n = data.length - off;
        if (n != 4 && n != 8) {
            throw new ProtocolException("bad reference id: " + n + " bytes (expected 4 or 8)");
        }
        ByteBuffer b = ByteBuffer.wrap(data, off, n);
        return n == 4 ? b.getInt() & 0xFFFFFFFFL : b.getLong();
    }

    static byte[] time(Instant t) {
        return ByteBuffer.allocate(12).putLong(t.getEpochSecond()).putInt(t.getNano()).array();
    }

    /** Reads HEAD's 12-byte time or a msgpack timestamp (4, 8 or 12 bytes). */
    static Instant readTime(byte type, byte[] d) {
        ByteBuffer b = ByteBuffer.wrap(d);
        if (type == HEAD_TIME) {
            if (d.length != 12) {
                throw new ProtocolException("bad time value: " + d.length + " bytes (expected 12)");
            }
            long seconds = b.getLong();
            long nanos = b.getInt() & 0xFFFFFFFFL;
            return checkedInstant(seconds, nanos);
        }
        switch (d.length) {
            case 4:
                return Instant.ofEpochSecond(b.getInt() & 0xFFFFFFFFL);
            case 8: {
                long v = b.getLong();
                return checkedInstant(v & 0x3FFFFFFFFL, v >>> 34);
            }
            case 12: {
                long nanos = b.getInt() & 0xFFFFFFFFL;
                return checkedInstant(b.getLong(), nanos);
            }
            default:
                throw new ProtocolException("bad msgpack timestamp: " + d.length + " bytes");
        }
    }

    private static Instant checkedInstant(long seconds, long nanos) {
        if (nanos > 999_999_999L) {
            throw new ProtocolException("bad time value: " + nanos + " nanoseconds");
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (java.time.DateTimeException e) {
            throw new ProtocolException("time value out of range: " + seconds + " s");
        }
    }
}
