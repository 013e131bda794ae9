package io.libchan.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the in-memory benchmarks of this module and prints every figure with the ratios
 * libchan/rsocket. The network benchmarks ({@code io.libchan.bench.net}) have their own runner,
 * {@link io.libchan.bench.net.NetCompare}.
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * $JAVA_HOME/bin/java -cp bench/target/benchmarks.jar io.libchan.bench.Compare [JMH options] [regexp...]
 * </pre>
 *
 * Any JMH command-line option overrides the defaults (forks 1, warmup 3 x 2 s, measurement
 * 5 x 2 s, every benchmark of this module); e.g. {@code -f 3 -wi 5 -i 10 'PipeBench.push.*'}.
 * On Java 17 the virtual-thread benchmarks are skipped with a message.
 */
public final class Compare {
    private static final String PREFIX = "io.libchan.bench.";
    /** Go libchan's in-memory pipe round trip, for reference (measured elsewhere). */
    private static final double GO_RTT_MICROS = 0.31;

    private Compare() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad option: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp()) {
            System.out.println("usage: java -cp benchmarks.jar io.libchan.bench.Compare [JMH options] [regexp...]");
            System.out.println("defaults: -f 1 -wi 3 -w 2s -i 5 -r 2s, every in-memory benchmark in " + PREFIX + "*\n");
            try {
                cmd.showHelp();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }

        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
        if (!cmd.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(2));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(2));
        }
        if (cmd.getIncludes().isEmpty()) {
            // the in-memory benchmarks only (io.libchan.bench.Xxx); the network ones in
            // io.libchan.bench.net have their own runner, NetCompare (run-network.sh)
            options.include(PREFIX.replace(".", "\\.") + "[A-Za-z]+Bench\\.");
        }
        String skipped = null;
        if (!VirtualThreads.available()) {
            skipped = "virtual-thread mode SKIPPED: " + VirtualThreads.unavailableReason();
            options.exclude("VirtualPipeBench");
            System.out.println(skipped);
        }

        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), r);
        }
        System.out.println();
        System.out.print(table(byName));
        if (skipped != null) {
            System.out.println(skipped);
        }
    }

    /** The comparison table; a figure that was not measured shows as "-". */
    static String table(Map<String, RunResult> r) {
        StringBuilder out = new StringBuilder();
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        out.append(String.format(Locale.ROOT,
                "libchan in-memory round trip vs rsocket-java local, 64-byte payload; %s; Java %s; %d CPUs%n",
                date.substring(0, 19), Runtime.version(), Runtime.getRuntime().availableProcessors()));
        out.append("throughput in round trips/s (one op = one request and its reply); ratio = ours / rsocket;"
                + " RTT = sampled single round trip, microseconds\n\n");

        double rs1 = ops(r.get("rsocket_1"));
        double rs64 = ops(r.get("rsocket_64"));
        String fmt = "%-40s %14s %7s %14s %7s %9s %9s%n";
        out.append(String.format(Locale.ROOT, fmt, "mode", "1 in flight", "ratio", "64 in flight", "ratio",
                "RTT p50", "RTT p99"));
        String[][] rows = {
            {"libchan platform-thread server", "platform_1", "platform_64", "platform_rtt"},
            {"libchan virtual threads (server+clients)", "virtual_1", "virtual_64", "virtual_rtt"},
            {"libchan push, direct executor", "pushDirect_1", "pushDirect_64", "pushDirect_rtt"},
            {"libchan push, thread pool", "pushPool_1", "pushPool_64", "pushPool_rtt"},
            {"libchan platform, 64 blocking clients", null, "platform_64threads", null},
            {"rsocket-java local transport", "rsocket_1", "rsocket_64", "rsocket_rtt"},
        };
        String best1 = null;
        String best64 = null;
        String bestRtt = null;
        for (String[] row : rows) {
            double one = row[1] == null ? Double.NaN : ops(r.get(row[1]));
            double many = ops(r.get(row[2]));
            double p50 = row[3] == null ? Double.NaN : percentileMicros(r.get(row[3]), 50);
            double p99 = row[3] == null ? Double.NaN : percentileMicros(r.get(row[3]), 99);
            out.append(String.format(Locale.ROOT, fmt, row[0], num(one), ratio(one, rs1), num(many),
                    ratio(many, rs64), micros(p50), micros(p99)));
            if (row[0].startsWith("libchan")) {
                if (row[1] != null && !Double.isNaN(one) && (best1 == null || one > ops(r.get(best1)))) {
                    best1 = row[1];
                }
                if (!Double.isNaN(many) && (best64 == null || many > ops(r.get(best64)))) {
                    best64 = row[2];
                }
                if (row[3] != null && !Double.isNaN(p50)
                        && (bestRtt == null || p50 < percentileMicros(r.get(bestRtt), 50))) {
                    bestRtt = row[3];
                }
            }
        }
        out.append('\n');
        if (best1 != null) {
            double b = ops(r.get(best1));
            out.append(String.format(Locale.ROOT, "best of ours, 1 in flight:  %-20s %14s = %s x rsocket%n",
                    best1, num(b), ratio(b, rs1)));
        }
        if (best64 != null) {
            double b = ops(r.get(best64));
            out.append(String.format(Locale.ROOT, "best of ours, 64 in flight: %-20s %14s = %s x rsocket%n",
                    best64, num(b), ratio(b, rs64)));
        }
        if (bestRtt != null) {
            double b = percentileMicros(r.get(bestRtt), 50);
            double rs = percentileMicros(r.get("rsocket_rtt"), 50);
            out.append(String.format(Locale.ROOT,
                    "best median round trip:     %-20s %11s us (rsocket %s us, Go libchan pipe %.2f us)%n",
                    bestRtt, micros(b), micros(rs), GO_RTT_MICROS));
        }
        return out.toString();
    }

    /** A throughput result in ops/s, NaN when absent. */
    public static double ops(RunResult r) {
        if (r == null || r.getParams().getMode() != Mode.Throughput) {
            return Double.NaN;
        }
        Result<?> p = r.getPrimaryResult();
        String unit = p.getScoreUnit(); // "ops/s", "ops/ms", "ops/us"...
        return p.getScore() / seconds(unit.substring(unit.indexOf('/') + 1));
    }

    /** A sample-time percentile in microseconds, NaN when absent. */
    public static double percentileMicros(RunResult r, double percentile) {
        if (r == null || r.getParams().getMode() != Mode.SampleTime) {
            return Double.NaN;
        }
        Result<?> p = r.getPrimaryResult();
        String unit = p.getScoreUnit(); // "us/op", "ns/op"...
        return p.getStatistics().getPercentile(percentile) * seconds(unit.substring(0, unit.indexOf('/'))) * 1e6;
    }

    private static double seconds(String unit) {
        switch (unit) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            case "min": return 60;
            case "hr": return 3600;
            case "day": return 86400;
            default: throw new IllegalArgumentException("unknown time unit " + unit);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double ours, double theirs) {
        return Double.isNaN(ours) || Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2f", ours / theirs);
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
