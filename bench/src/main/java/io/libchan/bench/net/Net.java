package io.libchan.bench.net;

import java.nio.charset.StandardCharsets;

/** What every network benchmark shares: the payload, the window sizes, the byte-stream chunk. */
final class Net {
    /** 64 ASCII characters, so 64 bytes in UTF-8: the request and reply body of every round trip. */
    static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    static final byte[] BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);

    /** Requests outstanding at once in the "64 in flight" benchmarks. */
    static final int IN_FLIGHT = 64;
    /**
     * Round trips per invocation of a "64 in flight" benchmark: a sliding window of
     * {@link #IN_FLIGHT} over this many requests (one op = one round trip).
     */
    static final int BATCH = 1024;

    /** The write (and read) size of the byte-stream echo benchmarks. */
    static final int CHUNK = 32 * 1024;

    /** The loopback address every server binds to. */
    static final String HOST = "127.0.0.1";

    static {
        if (BYTES.length != 64) {
            throw new AssertionError("payload must be 64 bytes, is " + BYTES.length);
        }
    }

    private Net() {
    }
}
