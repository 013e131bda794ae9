package io.libchan.bench.codec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The record of about 1 KiB that {@link CodecBench} encodes and decodes (the same fields as {@code BenchRecord}). */
public record Record(long id, String name, String description, List<Long> values, byte[] data, Instant at,
                     boolean active, double score) {

    /** The one sample: 512 characters of text, 32 numbers, 256 bytes of binary, a time. */
    static Record sample() {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            values.add(i * 1_000_003L);
        }
        byte[] data = new byte[256];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        return new Record(1_234_567_890_123L, "a record of about one kibibyte",
                "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".repeat(8), values, data,
                Instant.parse("2026-12-07T12:00:00.123456789Z"), true, 0.875);
    }
}
