package io.libchan.bench.net;

import io.libchan.bench.Compare;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the network benchmarks ({@code io.libchan.bench.net}: libchan, grpc-java, rsocket-java and
 * jschan over loopback TCP, and the byte-stream echo against a plain socket) in one JMH run and
 * prints every figure with the ratios libchan/grpc, libchan/rsocket, libchan/jschan and
 * libchan bytes/socket bytes, and whether the project's targets are met.
 *
 * <pre>
 * bench/run-network.sh [JMH options] [regexp...]
 * </pre>
 *
 * Iterations and forks come from the benchmarks' annotations (8 x 2 s warm-up: grpc-java's JIT
 * warm-up is slow on 2 CPUs; 5 x 2 s measurement, 1 fork; jschan 2 + 3) unless given on the
 * command line. {@link CpuProfiler} is always on: every row also shows the process CPU time per op, and a table of costs per op (CPU, allocation, context switches, read/write system calls) follows (b). {@code -o FILE} is JMH's;
 * the table is also written to {@code $LIBCHAN_BENCH_TABLE} when that is set.
 */
public final class NetCompare {
    private static final String PREFIX = "io\\.libchan\\.bench\\.net\\.";
    private static final double MB = 1e6;

    private NetCompare() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad option: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cmd.shouldHelp()) {
            System.out.println("usage: bench/run-network.sh [JMH options] [regexp...]");
            System.out.println("default: every benchmark in io.libchan.bench.net, iterations from their annotations\n");
            cmd.showHelp();
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd).addProfiler(CpuProfiler.class);
        if (cmd.getIncludes().isEmpty()) {
            options.include(PREFIX);
            options.exclude("InternalsBench"); // a profiling experiment: run it by name
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult r : results) {
            byName.put(key(r), r);
        }
        String table = table(byName);
        System.out.println();
        System.out.print(table);
        String file = System.getenv("LIBCHAN_BENCH_TABLE");
        if (file != null && !file.isEmpty()) {
            Files.writeString(Path.of(file), table, StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code method} or {@code method@param} (the libchan benchmarks' server mode), with
     * {@value #METRICS_ON} appended for a run with metrics on: the main table shows metrics off.
     */
    static String key(RunResult r) {
        String name = r.getParams().getBenchmark();
        String method = name.substring(name.lastIndexOf('.') + 1);
        String server = r.getParams().getParam("server");
        String metrics = r.getParams().getParam("metrics");
        return (server == null ? method : method + "@" + server) + ("on".equals(metrics) ? METRICS_ON : "");
    }

    static final String METRICS_ON = "+metrics";

    static String table(Map<String, RunResult> r) {
        StringBuilder out = new StringBuilder();
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        out.append(String.format(Locale.ROOT, "libchan vs grpc-java, rsocket-java, jschan over loopback TCP, 64-byte payloads;"
                + " %s; Java %s; %d CPUs%n", date.substring(0, 19), Runtime.version(),
                Runtime.getRuntime().availableProcessors()));
        out.append("round trips/s (one op = one request and its reply); p50/p99 = sampled single round trip, us;"
                + " MB = 10^6 bytes\n\n");

        // the libchan server mode for (a): the faster of push and loop on libchan_1
        String a = better(r, "libchan_1");
        String b = better(r, "libchan_64keep");
        String bn = better(r, "libchan_64new");

        String fmt = "%-58s %12s %9s %9s %9s%n";
        out.append("(a) request/reply, new reply channel per request, 1 in flight\n");
        out.append(String.format(Locale.ROOT, fmt, "", "ops/s", "p50 us", "p99 us", "CPU us/op"));
        for (String mode : new String[] {"push", "loop"}) {
            row(out, fmt, "libchan, server " + mode + (mode.equals("push") ? " (subscribe, direct executor)"
                    : " (blocking receive loop)"), r, "libchan_1@" + mode, "libchan_rtt@" + mode);
        }
        row(out, fmt, "grpc-java unary (blocking stub call)", r, "grpc_1", "grpc_rtt");
        row(out, fmt, "rsocket-java request-response (TCP)", r, "rsocketTcp_1", "rsocketTcp_rtt");
        row(out, fmt, "jschan echo-server.js (libchan client, dialect=jschan)", r, "jschan_1", null);
        row(out, fmt, "plain java.net.Socket ping-pong (64 B each way, no framing)", r, "socket_1", "socket_rtt");
        out.append('\n');

        out.append("(b) 64 in flight (sliding window over " + Net.BATCH + " requests)\n");
        out.append(String.format(Locale.ROOT, fmt, "", "msg/s", "", "", "CPU us/op"));
        for (String mode : new String[] {"push", "loop"}) {
            row(out, fmt, "libchan, one kept reply channel, server " + mode, r, "libchan_64keep@" + mode, null);
        }
        for (String mode : new String[] {"push", "loop"}) {
            row(out, fmt, "libchan, new reply channel per request, server " + mode, r, "libchan_64new@" + mode, null);
        }
        row(out, fmt, "grpc-java bidi stream, 64 outstanding", r, "grpc_64stream", null);
        row(out, fmt, "grpc-java unary, 64 concurrent calls", r, "grpc_64unary", null);
        row(out, fmt, "rsocket-java request-response, 64 outstanding", r, "rsocketTcp_64", null);
        out.append('\n');

        out.append("(c) byte-stream echo, 32 KiB writes, streaming\n");
        out.append(String.format(Locale.ROOT, fmt, "", "MB/s", "", "", "CPU us/MB"));
        double lcBytes = mbps(r.get("libchanBytes"));
        double sockBytes = mbps(r.get("socketBytes"));
        out.append(String.format(Locale.ROOT, fmt, "libchan ByteStream (BytePipe remote end sent in a message)", num(lcBytes), "", "",
                micros(cpu(r, "libchanBytes") * MB / Net.CHUNK)));
        out.append(String.format(Locale.ROOT, fmt, "plain java.net.Socket echo", num(sockBytes), "", "",
                micros(cpu(r, "socketBytes") * MB / Net.CHUNK)));
        out.append('\n');

        costs(out, r);
        metricsCost(out, r);

        out.append("ratios (libchan / other; (a) for each server mode, (b) the faster mode on that line)\n");
        double lc1 = ops(r, a);
        double grpcP99 = p(r, "grpc_rtt", 99);
        double rsocketP99 = p(r, "rsocketTcp_rtt", 99);
        for (String mode : new String[] {"push", "loop"}) {
            double ops = ops(r, "libchan_1@" + mode);
            double p99 = p(r, "libchan_rtt@" + mode, 99);
            out.append(String.format(Locale.ROOT, "(a) libchan[%s] / grpc unary       %s   p99 %s / %s us%n",
                    mode, ratio(ops, ops(r, "grpc_1")), micros(p99), micros(grpcP99)));
            out.append(String.format(Locale.ROOT, "(a) libchan[%s] / rsocket          %s   p99 %s / %s us%n",
                    mode, ratio(ops, ops(r, "rsocketTcp_1")), micros(p99), micros(rsocketP99)));
        }
        out.append(String.format(Locale.ROOT, "(a) libchan[%s] / jschan           %s%n", mode(a), ratio(lc1, ops(r, "jschan_1"))));
        out.append(String.format(Locale.ROOT, "(a) libchan[%s] / socket ping-pong %s   p99 %s / %s us%n", mode(a),
                ratio(lc1, ops(r, "socket_1")), micros(p(r, a == null ? null : a.replace("_1@", "_rtt@"), 99)),
                micros(p(r, "socket_rtt", 99))));
        double keep = ops(r, b);
        double fresh = ops(r, bn);
        out.append(String.format(Locale.ROOT, "(b) libchan kept[%s] / grpc stream  %s,  / grpc unary x64 %s,  / rsocket x64 %s%n",
                mode(b), ratio(keep, ops(r, "grpc_64stream")), ratio(keep, ops(r, "grpc_64unary")),
                ratio(keep, ops(r, "rsocketTcp_64"))));
        out.append(String.format(Locale.ROOT, "(b) libchan new[%s] / grpc stream   %s,  / grpc unary x64 %s,  / rsocket x64 %s%n",
                mode(bn), ratio(fresh, ops(r, "grpc_64stream")), ratio(fresh, ops(r, "grpc_64unary")),
                ratio(fresh, ops(r, "rsocketTcp_64"))));
        out.append(String.format(Locale.ROOT, "(c) libchan bytes / socket bytes   %s%n", ratio(lcBytes, sockBytes)));
        out.append(String.format(Locale.ROOT, "CPU per op, libchan / other (lower is better): (a) /grpc %s /rsocket %s;"
                + " (b) kept /grpc stream %s /rsocket %s; (c) /socket %s%n",
                ratio(cpu(r, a), cpu(r, "grpc_1")), ratio(cpu(r, a), cpu(r, "rsocketTcp_1")),
                ratio(cpu(r, b), cpu(r, "grpc_64stream")), ratio(cpu(r, b), cpu(r, "rsocketTcp_64")),
                ratio(cpu(r, "libchanBytes"), cpu(r, "socketBytes"))));
        out.append('\n');

        out.append("targets\n");
        target(out, "(a) libchan >= grpc unary and rsocket, 1 in flight", lc1,
                Math.max(ops(r, "grpc_1"), ops(r, "rsocketTcp_1")));
        aBothTargets(out, r);
        target(out, "(a) libchan >= 0.6x the socket ping-pong and >= 1.2x rsocket (issue 14)", lc1,
                Math.max(0.6 * ops(r, "socket_1"), 1.2 * ops(r, "rsocketTcp_1")));
        target(out, "(b) libchan (best variant) >= grpc (best) and rsocket, 64 in flight", Math.max(keep, fresh),
                Math.max(Math.max(ops(r, "grpc_64stream"), ops(r, "grpc_64unary")), ops(r, "rsocketTcp_64")));
        target(out, "(b) libchan (best variant) >= 1.5x rsocket, 64 in flight (issue 14)", Math.max(keep, fresh),
                1.5 * ops(r, "rsocketTcp_64"));
        target(out, "(c) libchan bytes >= 60% of the socket echo", lcBytes, 0.6 * sockBytes);
        target(out, "(c) libchan bytes >= 80% of the socket echo (issue 14)", lcBytes, 0.8 * sockBytes);
        return out.toString();
    }

    /**
     * What one op cost the whole JVM ({@link CpuProfiler}): figures that other tenants' load barely
     * moves at 1 in flight, where ops/s moves 2x, so the structural gap to a peer shows here.
     */
    private static void costs(StringBuilder out, Map<String, RunResult> r) {
        String fmt = "%-58s %9s %9s %9s %9s%n";
        out.append("costs per op, whole JVM (client and server): CPU, heap allocated, context switches,"
                + " read/write-type syscalls\n");
        out.append(String.format(Locale.ROOT, fmt, "", "CPU us", "alloc B", "ctx sw", "rd/wr"));
        String[][] rows = {
            {"(a) libchan, server push", "libchan_1@push"},
            {"(a) libchan, server loop", "libchan_1@loop"},
            {"(a) grpc-java unary", "grpc_1"},
            {"(a) rsocket-java request-response", "rsocketTcp_1"},
            {"(a) plain socket ping-pong", "socket_1"},
            {"(b) libchan, kept reply channel, server push", "libchan_64keep@push"},
            {"(b) libchan, kept reply channel, server loop", "libchan_64keep@loop"},
            {"(b) libchan, new reply channel, server push", "libchan_64new@push"},
            {"(b) grpc-java bidi stream", "grpc_64stream"},
            {"(b) rsocket-java request-response, 64 outstanding", "rsocketTcp_64"},
        };
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, fmt, row[0], micros(cpu(r, row[1])),
                    num(secondary(r, row[1], "alloc.per.op")), count(secondary(r, row[1], "cs.per.op")),
                    count(secondary(r, row[1], "rw.per.op"))));
        }
        out.append('\n');
    }

    /** The libchan rows again with metrics on (an OpenTelemetry SDK collecting every second), and on/off (issue 18: >= 0.95). */
    private static void metricsCost(StringBuilder out, Map<String, RunResult> r) {
        String fmt = "%-58s %12s %12s %7s %9s %9s%n";
        out.append("metrics cost: the same libchan runs with metrics off (no-op OpenTelemetry) and on (SDK, collected every second)\n");
        out.append(String.format(Locale.ROOT, fmt, "", "off ops/s", "on ops/s", "on/off", "CPU off", "CPU on"));
        for (String key : new String[] {"libchan_1@push", "libchan_1@loop", "libchan_64keep@push", "libchan_64keep@loop",
            "libchan_64new@push", "libchan_64new@loop"}) {
            String label = (key.startsWith("libchan_1@") ? "(a) " : "(b) ") + key;
            double off = ops(r, key);
            double on = ops(r, key + METRICS_ON);
            out.append(String.format(Locale.ROOT, fmt, label, num(off), num(on), ratio(on, off),
                    micros(cpu(r, key)), micros(cpu(r, key + METRICS_ON))));
        }
        out.append('\n');
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static void row(StringBuilder out, String fmt, String label, Map<String, RunResult> r, String thrpt, String rtt) {
        out.append(String.format(Locale.ROOT, fmt, label, num(ops(r, thrpt)),
                micros(p(r, rtt, 50)), micros(p(r, rtt, 99)), micros(cpu(r, thrpt))));
    }

    /**
     * The (a) targets are met together when one server mode of ours has both the round trips/s
     * and the p99 of the peers: the verdict names the modes that do, or what each one missed.
     */
    private static void aBothTargets(StringBuilder out, Map<String, RunResult> r) {
        double neededOps = Math.max(ops(r, "grpc_1"), ops(r, "rsocketTcp_1"));
        double neededP99 = Math.min(p(r, "grpc_rtt", 99), p(r, "rsocketTcp_rtt", 99));
        StringBuilder met = new StringBuilder();
        StringBuilder missed = new StringBuilder();
        boolean measured = false;
        for (String mode : new String[] {"push", "loop"}) {
            double ops = ops(r, "libchan_1@" + mode);
            double p99 = p(r, "libchan_rtt@" + mode, 99);
            if (Double.isNaN(ops) || Double.isNaN(p99) || Double.isNaN(neededOps) || Double.isNaN(neededP99)) {
                continue;
            }
            measured = true;
            boolean opsOk = ops >= neededOps;
            boolean p99Ok = p99 <= neededP99;
            if (opsOk && p99Ok) {
                met.append(met.length() == 0 ? "" : ", ").append(mode);
            } else {
                missed.append(missed.length() == 0 ? "" : ", ").append(mode).append(": ")
                        .append(opsOk ? "" : "ops/s").append(opsOk || p99Ok ? "" : " and ").append(p99Ok ? "" : "p99");
            }
        }
        String verdict = !measured ? "not measured" : met.length() > 0 ? "MET (" + met + ")" : "MISSED (" + missed + ")";
        out.append(String.format(Locale.ROOT, "  %-72s %s%n", "(a) one server mode >= both in ops/s and <= both in p99", verdict));
    }

    private static void target(StringBuilder out, String what, double ours, double needed) {
        String verdict = Double.isNaN(ours) || Double.isNaN(needed) ? "not measured" : ours >= needed ? "MET" : "MISSED";
        out.append(String.format(Locale.ROOT, "  %-72s %s%n", what, verdict));
    }

    /** The key of the faster server mode of {@code method}, or null when neither ran. */
    static String better(Map<String, RunResult> r, String method) {
        double push = ops(r, method + "@push");
        double loop = ops(r, method + "@loop");
        if (Double.isNaN(push) && Double.isNaN(loop)) {
            return null;
        }
        if (Double.isNaN(loop) || (!Double.isNaN(push) && push >= loop)) {
            return method + "@push";
        }
        return method + "@loop";
    }

    private static String mode(String key) {
        return key == null ? "-" : key.substring(key.indexOf('@') + 1);
    }

    static double ops(Map<String, RunResult> r, String key) {
        return key == null ? Double.NaN : Compare.ops(r.get(key));
    }

    static double p(Map<String, RunResult> r, String key, double percentile) {
        return key == null ? Double.NaN : Compare.percentileMicros(r.get(key), percentile);
    }

    /** {@link CpuProfiler}'s process CPU microseconds per op, NaN when absent. */
    static double cpu(Map<String, RunResult> r, String key) {
        return secondary(r, key, "cpu.per.op");
    }

    /** A secondary result of {@code key}'s run (e.g. {@link CpuProfiler}'s), NaN when absent. */
    static double secondary(Map<String, RunResult> r, String key, String name) {
        RunResult run = key == null ? null : r.get(key);
        if (run == null) {
            return Double.NaN;
        }
        Result<?> value = run.getSecondaryResults().get(name);
        return value == null ? Double.NaN : value.getScore();
    }

    static double mbps(RunResult r) {
        return Compare.ops(r) * Net.CHUNK / MB;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double ours, double theirs) {
        return Double.isNaN(ours) || Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2f", ours / theirs);
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
