package io.libchan.bench.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JDBC figure of bench/run-gateway.sh, like {@code pgbench -S}: per path, THREADS threads with
 * one pgjdbc connection each select one {@code pgbench_accounts} row by a random primary key in a
 * loop. The paths take turns in one-second slices for SECS seconds each (after a warm-up of one
 * slice each, for the JIT), so a machine whose load drifts treats them alike; then one line per
 * path, in the order given: {@code NAME tps T p99 MS}. Usage:
 * <pre>
 * JdbcSelect SECS THREADS PATH...
 *   PATH: direct NAME PORT                 PostgreSQL (or a relay in front of it) on 127.0.0.1:PORT
 *         handover NAME GATEWAY_URI TARGET each connection on the socket the unix:// gateway hands over
 * </pre>
 * Needs a database made by {@code pgbench -i} (user postgres, database postgres, trust auth).
 */
public final class JdbcSelect {
    private static final long SLICE_NANOS = 1_000_000_000L;

    private JdbcSelect() {
    }

    /** One path: its connections, and what its slices measured. */
    private static final class Path {
        final String name;
        final Connection[] connections;
        long ops;
        final List<long[]> latencies = new ArrayList<>();

        Path(String name, Connection[] connections) {
            this.name = name;
            this.connections = connections;
        }
    }

    public static void main(String[] args) throws Exception {
        int secs = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        List<Path> paths = new ArrayList<>();
        for (int i = 2; i < args.length;) {
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            String url;
            String name = args[i + 1];
            if (args[i].equals("direct")) {
                url = "jdbc:postgresql://127.0.0.1:" + args[i + 2] + "/postgres";
                i += 3;
            } else if (args[i].equals("handover")) {
                url = "jdbc:postgresql://gateway/postgres"; // the host is the factory's business
                props.setProperty("socketFactory", io.libchan.unix.GatewaySocketFactory.class.getName());
                props.setProperty("socketFactoryArg", args[i + 2] + " " + args[i + 3]);
                i += 4;
            } else {
                throw new IllegalArgumentException("direct NAME PORT | handover NAME GATEWAY_URI TARGET, not " + args[i]);
            }
            Connection[] connections = new Connection[threads];
            for (int c = 0; c < threads; c++) {
                connections[c] = DriverManager.getConnection(url, props);
            }
            paths.add(new Path(name, connections));
        }
        int accounts;
        try (Statement s = paths.get(0).connections[0].createStatement();
                ResultSet r = s.executeQuery("select max(aid) from pgbench_accounts")) {
            r.next();
            accounts = r.getInt(1);
        }
        for (Path p : paths) {
            slice(p, accounts, new ArrayList<>()); // warm-up
        }
        for (int s = 0; s < secs; s++) {
            for (Path p : paths) {
                p.ops += slice(p, accounts, p.latencies);
            }
        }
        for (Path p : paths) {
            long[] all = p.latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            double p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6;
            System.out.printf("%s tps %.1f p99 %.3f%n", p.name, p.ops / (double) secs, p99);
            for (Connection c : p.connections) {
                c.close();
            }
        }
    }

    /** Runs each connection of {@code p} on a thread of its own for one slice; adds each thread's latencies (ns). */
    private static long slice(Path p, int accounts, List<long[]> latencies) throws Exception {
        Connection[] connections = p.connections;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[connections.length];
        Exception[] failed = new Exception[1];
        long[] counts = new long[connections.length];
        long[][] lats = new long[connections.length][];
        long[] deadline = new long[1];
        for (int i = 0; i < workers.length; i++) {
            int w = i;
            workers[i] = new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                try (PreparedStatement select = connections[w].prepareStatement("select abalance from pgbench_accounts where aid = ?")) {
                    start.await();
                    long end = deadline[0];
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long t0 = System.nanoTime();
                    while (t0 - end < 0) {
                        select.setInt(1, 1 + random.nextInt(accounts));
                        try (ResultSet r = select.executeQuery()) {
                            r.next();
                        }
                        long t1 = System.nanoTime();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                        t0 = t1;
                    }
                } catch (SQLException | InterruptedException e) {
                    synchronized (failed) {
                        failed[0] = e;
                    }
                }
                counts[w] = n;
                lats[w] = Arrays.copyOf(lat, n);
            }, "jdbc-" + p.name + "-" + i);
            workers[i].start();
        }
        deadline[0] = System.nanoTime() + SLICE_NANOS;
        start.countDown();
        long total = 0;
        for (int i = 0; i < workers.length; i++) {
            workers[i].join();
            total += counts[i];
            latencies.add(lats[i]);
        }
        synchronized (failed) {
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        return total;
    }
}
