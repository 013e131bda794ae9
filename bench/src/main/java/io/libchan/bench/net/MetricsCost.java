package io.libchan.bench.net;

import java.util.Locale;

/**
 * What libchan's metrics cost, measured so that a busy machine cancels out: two worlds in one JVM,
 * one with metrics off and one with them on ({@link BenchMetrics}), each a {@link LibchanTcpServer}
 * (server {@code push} unless named) and a client, run in turn in short slices (off then on, then on then off),
 * many times over; each pair of slices gives a ratio on/off, and the median of those is the cost.
 * Workloads are those of {@link LibchanTcpBench}: (a) {@code libchan_1}, (b) {@code libchan_64keep};
 * the on world traces too ({@link BenchMetrics#enter()}); its mode {@code metrics} or {@code trace} takes
 * one half alone.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.libchan.bench.net.MetricsCost [pairs] [slice ms] [warm-up s] [push|loop] [on|metrics|trace]
 * </pre>
 */
public final class MetricsCost {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private MetricsCost() {
    }

    /** One world: a session and its kept reply channel, with metrics off or on. */
    private static final class World implements AutoCloseable, AlternatedSlices.Contender {
        final LibchanTcpBench.Session session = new LibchanTcpBench.Session();
        final LibchanTcpBench.Kept kept = new LibchanTcpBench.Kept();
        final LibchanTcpBench bench = new LibchanTcpBench();

        World(String server, String metrics) throws InterruptedException {
            session.server = server;
            session.metrics = metrics;
            session.start();
            kept.start(session);
        }

        /** CPU time of the whole process (both worlds' threads) spent in this world's slices. */
        long cpuNanos;

        /** Ops done in {@code millis} of workload {@code b} (64 in flight) or (a) (1 in flight). */
        @Override
        public long run(boolean b, long millis) {
            long cpuStart = PROCESS.getProcessCpuTime();
            long ops = slice(b, millis);
            cpuNanos += PROCESS.getProcessCpuTime() - cpuStart;
            return ops;
        }

        private long slice(boolean b, long millis) {
            long end = System.nanoTime() + millis * 1_000_000;
            long ops = 0;
            while (System.nanoTime() < end) {
                if (b) {
                    bench.libchan_64keep(session, kept);
                    ops += Net.BATCH;
                } else {
                    bench.libchan_1(session);
                    ops++;
                }
            }
            return ops;
        }

        @Override
        public void reset() {
            cpuNanos = 0;
        }

        @Override
        public void close() throws Exception {
            kept.stop();
            session.stop();
        }
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        long slice = args.length > 1 ? Long.parseLong(args[1]) : 250;
        long warmUp = args.length > 2 ? Long.parseLong(args[2]) : 20;
        String server = args.length > 3 ? args[3] : "push";
        String onMode = args.length > 4 ? args[4] : "on"; // or metrics (no trace), trace (no metrics)
        try (World off = new World(server, "off"); World on = new World(server, onMode)) {
            for (boolean b : new boolean[] {false, true}) {
                String name = (b ? "(b) libchan_64keep, server " : "(a) libchan_1, server ") + server
                        + (onMode.equals("on") ? "" : ", on=" + onMode);
                AlternatedSlices.Result r = AlternatedSlices.run(off, on, b, pairs, slice, warmUp);
                double median = r.median();
                System.out.printf(Locale.ROOT, "%-34s off %,10.0f ops/s  on %,10.0f ops/s  on/off: median %.3f,"
                                + " total %.3f, quartiles %.3f-%.3f (%d alternated pairs of %d ms)%n",
                        name, r.firstOps() * 1000.0 / (pairs * slice), r.secondOps() * 1000.0 / (pairs * slice),
                        median, (double) r.secondOps() / r.firstOps(), r.lowerQuartile(), r.upperQuartile(), pairs, slice);
                long offOps = r.firstOps();
                long onOps = r.secondOps();
                double offCpu = off.cpuNanos / 1000.0 / offOps;
                double onCpu = on.cpuNanos / 1000.0 / onOps;
                System.out.printf(Locale.ROOT, "%-34s CPU per op (process): off %.2f us  on %.2f us  on/off %.3f%n",
                        "", offCpu, onCpu, onCpu / offCpu);
                if (onMode.equals("on")) {
                    System.out.printf(Locale.ROOT, "%-34s target: metrics and tracing cost <= 5%%, median on/off >= 0.95 (issue 18)  %s%n",
                            "", median >= 0.95 ? "MET" : "MISSED");
                }
            }
        }
        System.out.println("(metrics points exported by the on world: " + BenchMetrics.POINTS.get()
                + "; reply channels that carried a traceparent: " + LibchanTcpServer.TRACED_CHANNELS.sum() + ")");
        System.exit(0);
    }

}
