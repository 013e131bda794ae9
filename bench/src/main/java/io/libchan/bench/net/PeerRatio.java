package io.libchan.bench.net;

import java.util.Locale;

/**
 * libchan against rsocket-java over loopback TCP, measured so that a busy machine cancels out: both
 * servers and clients live in one JVM and run in turn in short slices (one then the other,
 * then the other way round), many times over; each pair of slices gives a ratio, and the median of
 * those is the figure. The JMH rows of {@code run-network.sh} are forks minutes apart, between which
 * the shared machine's load moves rows by 10-40%; this is the steadier reading of issue 14's (a) and
 * (b) targets. Workloads are those of {@link LibchanTcpBench} and {@link RSocketTcpBench}: (a)
 * {@code libchan_1} against {@code rsocketTcp_1}, (b) {@code libchan_64keep} against
 * {@code rsocketTcp_64}; the libchan server is {@code push} unless named.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.libchan.bench.net.PeerRatio [pairs] [slice ms] [warm-up s] [push|loop]
 * </pre>
 */
public final class PeerRatio {
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private PeerRatio() {
    }

    /** One side of the comparison: ops done in a slice, and the process CPU its slices took. */
    private abstract static class Side implements AlternatedSlices.Contender {
        long cpuNanos;

        @Override
        public void reset() {
            cpuNanos = 0;
        }

        @Override
        public long run(boolean b, long millis) {
            long cpuStart = PROCESS.getProcessCpuTime();
            long end = System.nanoTime() + millis * 1_000_000;
            long ops = 0;
            while (System.nanoTime() < end) {
                ops += b ? many() : one();
            }
            cpuNanos += PROCESS.getProcessCpuTime() - cpuStart;
            return ops;
        }

        /** One round trip at 1 in flight: 1 op. */
        abstract int one();

        /** {@link Net#BATCH} round trips at 64 in flight. */
        abstract int many();
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long slice = args.length > 1 ? Long.parseLong(args[1]) : 250;
        long warmUp = args.length > 2 ? Long.parseLong(args[2]) : 20;
        String server = args.length > 3 ? args[3] : "push";

        LibchanTcpBench.Session session = new LibchanTcpBench.Session();
        session.server = server;
        session.metrics = "off";
        session.start();
        LibchanTcpBench.Kept kept = new LibchanTcpBench.Kept();
        kept.start(session);
        LibchanTcpBench libchanBench = new LibchanTcpBench();
        RSocketTcpBench rsocket = new RSocketTcpBench();
        rsocket.start();
        Side libchan = new Side() {
            @Override
            int one() {
                libchanBench.libchan_1(session);
                return 1;
            }

            @Override
            int many() {
                libchanBench.libchan_64keep(session, kept);
                return Net.BATCH;
            }
        };
        Side peer = new Side() {
            @Override
            int one() {
                rsocket.rsocketTcp_1();
                return 1;
            }

            @Override
            int many() {
                rsocket.rsocketTcp_64();
                return Net.BATCH;
            }
        };
        try {
            for (boolean b : new boolean[] {false, true}) {
                String name = b ? "(b) 64 in flight, kept reply channel" : "(a) 1 in flight, new reply channel";
                AlternatedSlices.Result r = AlternatedSlices.run(peer, libchan, b, pairs, slice, warmUp); // ratios ours/theirs
                long ours = r.secondOps();
                long theirs = r.firstOps();
                double median = r.median();
                double target = b ? 1.5 : 1.2;
                System.out.printf(Locale.ROOT, "%-38s libchan (server %s) %,9.0f ops/s  rsocket-java %,9.0f ops/s"
                                + "  libchan/rsocket: median %.3f, quartiles %.3f-%.3f (%d alternated pairs of %d ms)%n",
                        name, server, ours * 1000.0 / (pairs * slice), theirs * 1000.0 / (pairs * slice), median,
                        r.lowerQuartile(), r.upperQuartile(), pairs, slice);
                System.out.printf(Locale.ROOT, "%-38s CPU per op (process): libchan %.2f us  rsocket-java %.2f us%n", "",
                        libchan.cpuNanos / 1000.0 / ours, peer.cpuNanos / 1000.0 / theirs);
                System.out.printf(Locale.ROOT, "%-38s target (issue 14): >= %.1fx rsocket-java  %s%n", "", target,
                        median >= target ? "MET" : "MISSED");
            }
        } finally {
            rsocket.stop();
            kept.stop();
            session.stop();
        }
        System.exit(0);
    }
}
