package io.libchan.bench.net;

import java.util.Arrays;

/**
 * Two contenders in one JVM, run in turn in short slices (first then second, then second then
 * first), many pairs over, so that a shared machine's changing load falls on both alike: each pair
 * of slices gives a ratio second/first, and their median is the figure ({@link MetricsCost},
 * {@link PeerRatio}). Not thread-safe: one caller runs the slices.
 */
final class AlternatedSlices {
    private AlternatedSlices() {
    }

    /** One contender: runs workload (a) or (b) for a slice and says how many ops it did. */
    interface Contender {
        long run(boolean b, long millis);

        /** Forgets what was counted so far (the warm-up's slices). */
        void reset();
    }

    /** Ops of each contender over the measured slices, and the per-pair ratios second/first, sorted. */
    record Result(long firstOps, long secondOps, double[] ratios) {
        double median() {
            int n = ratios.length;
            return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        }

        double lowerQuartile() {
            return ratios[ratios.length / 4];
        }

        double upperQuartile() {
            return ratios[ratios.length * 3 / 4];
        }
    }

    /** Warms both up in turn for {@code warmUpSeconds}, resets them, then measures {@code pairs} pairs. */
    static Result run(Contender first, Contender second, boolean b, int pairs, long sliceMillis, long warmUpSeconds) {
        long warmEnd = System.nanoTime() + warmUpSeconds * 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            first.run(b, sliceMillis);
            second.run(b, sliceMillis);
        }
        first.reset();
        second.reset();
        double[] ratios = new double[pairs];
        long firstOps = 0;
        long secondOps = 0;
        for (int i = 0; i < pairs; i++) {
            long f;
            long s;
            if (i % 2 == 0) {
                f = first.run(b, sliceMillis);
                s = second.run(b, sliceMillis);
            } else {
                s = second.run(b, sliceMillis);
                f = first.run(b, sliceMillis);
            }
            firstOps += f;
            secondOps += s;
            ratios[i] = (double) s / f;
        }
        Arrays.sort(ratios);
        return new Result(firstOps, secondOps, ratios);
    }
}
