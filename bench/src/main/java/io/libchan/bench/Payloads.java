package io.libchan.bench;

import java.nio.charset.StandardCharsets;

/** The 64-byte payload every benchmark sends (the same bytes for libchan and rsocket). */
final class Payloads {
    /** 64 ASCII characters, so 64 bytes in UTF-8. */
    static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    static final byte[] BYTES = TEXT.getBytes(StandardCharsets.US_ASCII);

    /** Requests in flight in the "64" benchmarks. */
    static final int IN_FLIGHT = 64;

    static {
        if (BYTES.length != 64) {
            throw new AssertionError("payload must be 64 bytes, is " + BYTES.length);
        }
    }

    private Payloads() {
    }
}
