package io.libchan.codecs.cbor;

import io.libchan.ProtocolException;
import io.libchan.spi.ReferenceKind;

/**
 * The CBOR tags of the values that are not plain data (PROTOCOL.md section 15.2). A point in time
 * is the standard tag 0 (an RFC 3339 text string, nanoseconds kept); a reference is its id (an
 * unsigned integer) under a tag of this protocol's own: {@link #BASE} plus the msgpack ext type of
 * the head dialect for the same kind (section 5). These tags are in CBOR's first-come-first-served
 * range and not registered with IANA.
 */
final class CborTags {
    /** Standard date/time string (RFC 8949 section 3.4.1). */
    static final int TIME = 0;
    /** {@code 0x6c630000}: "lc" followed by the kind's number. */
    static final int BASE = 0x6c63_0000;

    private CborTags() {
    }

    static int of(ReferenceKind kind) {
        switch (kind) {
            case BYTE_STREAM: return BASE + 1;
            case BYTE_STREAM_WRITE: return BASE + 2;
            case BYTE_STREAM_READ: return BASE + 3;
            case SENDER: return BASE + 4;
            case RECEIVER: return BASE + 5;
            case FILE_DESCRIPTOR: return BASE + 0x40;
            default: throw new IllegalArgumentException("no CBOR tag for " + kind);
        }
    }

    /** The kind a reference tag names, or null when {@code tag} is not one of ours. */
    static ReferenceKind kind(int tag) {
        switch (tag - BASE) {
            case 1: return ReferenceKind.BYTE_STREAM;
            case 2: return ReferenceKind.BYTE_STREAM_WRITE;
            case 3: return ReferenceKind.BYTE_STREAM_READ;
            case 4: return ReferenceKind.SENDER;
            case 5: return ReferenceKind.RECEIVER;
            case 0x40: return ReferenceKind.FILE_DESCRIPTOR;
            default: return null;
        }
    }

    static ProtocolException misplaced(int tag, String what) {
        return new ProtocolException("CBOR tag " + tag + " on " + what);
    }
}
