package io.libchan.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A thread-safe latency histogram in microseconds: exact below 128 us, then 64 buckets per power
 * of two (within 1.6%), up to about 25 days. Percentiles report a bucket's upper bound.
 */
final class Latency {
    private static final int SUB = 64;
    private static final int LINEAR = 2 * SUB;
    private static final int BUCKETS = LINEAR + 35 * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void recordNanos(long nanos) {
        long us = Math.max(0, nanos / 1000);
        counts.incrementAndGet(index(us));
        max.accumulate(us);
    }

    private static int index(long us) {
        if (us < LINEAR) {
            return (int) us;
        }
        int e = 63 - Long.numberOfLeadingZeros(us); // >= 7
        int sub = (int) (us >>> (e - 6)) & (SUB - 1);
        return Math.min(BUCKETS - 1, LINEAR + (e - 7) * SUB + sub);
    }

    private static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int e = (index - LINEAR) / SUB + 7;
        int sub = (index - LINEAR) % SUB;
        return ((long) (SUB + sub + 1) << (e - 6)) - 1;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The p-th percentile (0 < p <= 100) in microseconds; -1 when empty. */
    long percentileMicros(double p) {
        long n = count();
        if (n == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(n * p / 100.0);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }

    long maxMicros() {
        return count() == 0 ? -1 : max.get();
    }
}
