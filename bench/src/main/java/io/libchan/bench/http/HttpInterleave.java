package io.libchan.bench.http;

import io.libchan.bench.net.GrpcBench;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HttpBench#call_1} (tcp, h2c, ws) and {@code GrpcBench.grpc_1}, interleaved in one JVM: after
 * a warm-up, each round runs every contender for a short slice, in a rotating order, and the
 * ratios are taken within the round, so load that comes and goes on a shared machine hits both
 * sides of a ratio alike (JMH runs one contender after the other, each in a fork of its own, and on
 * a busy machine their figures moved by 2x between forks). Prints each round and the median of
 * each ratio. A complement to the JMH figures, not a replacement:
 * <pre>
 * java -cp bench/target/benchmarks.jar io.libchan.bench.http.HttpInterleave [rounds=15] [sliceMillis=1000]
 * </pre>
 */
public final class HttpInterleave {
    private HttpInterleave() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        long slice = args.length > 1 ? Long.parseLong(args[1]) : 1000;

        Map<String, Runnable> calls = new LinkedHashMap<>();
        List<AutoCloseable> stops = new ArrayList<>();
        for (String transport : List.of("tcp", "h2c", "ws")) {
            HttpBench.Session s = new HttpBench.Session();
            s.transport = transport;
            s.start();
            stops.add(s::stop);
            calls.put(transport, () -> HttpBench.call(s.requests));
        }
        GrpcBench grpc = new GrpcBench();
        grpc.start();
        stops.add(grpc::stop);
        calls.put("grpc", grpc::grpc_1);

        for (Runnable call : calls.values()) { // warm-up: about what JMH's warm-up iterations do
            run(call, 4 * slice);
        }
        List<String> names = new ArrayList<>(calls.keySet());
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (String r : List.of("ws/tcp", "h2c/grpc", "h2c/tcp", "ws/grpc")) {
            ratios.put(r, new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            Map<String, Double> ops = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + round) % names.size()); // rotate who goes first
                ops.put(name, run(calls.get(name), slice));
            }
            ratios.get("ws/tcp").add(ops.get("ws") / ops.get("tcp"));
            ratios.get("h2c/grpc").add(ops.get("h2c") / ops.get("grpc"));
            ratios.get("h2c/tcp").add(ops.get("h2c") / ops.get("tcp"));
            ratios.get("ws/grpc").add(ops.get("ws") / ops.get("grpc"));
            System.out.printf("round %2d: tcp %7.0f  h2c %7.0f  ws %7.0f  grpc %7.0f ops/s   ws/tcp %.2f  h2c/grpc %.2f%n", round + 1,
                    ops.get("tcp"), ops.get("h2c"), ops.get("ws"), ops.get("grpc"),
                    ops.get("ws") / ops.get("tcp"), ops.get("h2c") / ops.get("grpc"));
        }
        StringBuilder summary = new StringBuilder("median of " + rounds + " rounds:");
        ratios.forEach((name, values) -> summary.append(String.format("  %s %.2f", name, median(values))));
        System.out.println(summary);
        for (AutoCloseable stop : stops) {
            stop.close();
        }
        System.exit(0);
    }

    /** Calls for {@code millis}, one in flight; round trips per second. */
    private static double run(Runnable call, long millis) {
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        long n = 0;
        long now;
        do {
            call.run();
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
