package io.libchan.bench.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JDBC figure of bench/run-gateway.sh, like {@code pgbench -S}: THREADS threads, one pgjdbc
 * connection each, select one {@code pgbench_accounts} row by a random primary key in a loop for
 * SECS seconds (after a warm-up of the same length, for the JIT), then print
 * {@code tps T p99 MS}. Usage:
 * <pre>
 * JdbcSelect SECS THREADS direct PORT                 # PostgreSQL (or a forward) on 127.0.0.1:PORT
 * JdbcSelect SECS THREADS handover GATEWAY_URI TARGET # each connection on the socket the gateway hands over
 * </pre>
 * Needs a database made by {@code pgbench -i} (user postgres, database postgres, trust auth).
 */
public final class JdbcSelect {
    private JdbcSelect() {
    }

    public static void main(String[] args) throws Exception {
        int secs = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        String url;
        if (args[2].equals("direct")) {
            url = "jdbc:postgresql://127.0.0.1:" + args[3] + "/postgres";
        } else if (args[2].equals("handover")) {
            url = "jdbc:postgresql://gateway/postgres"; // the host is the factory's business
            props.setProperty("socketFactory", HandedOverSocketFactory.class.getName());
            props.setProperty("socketFactoryArg", args[3] + " " + args[4]);
        } else {
            throw new IllegalArgumentException("direct PORT | handover GATEWAY_URI TARGET, not " + args[2]);
        }
        Connection[] connections = new Connection[threads];
        for (int i = 0; i < threads; i++) {
            connections[i] = DriverManager.getConnection(url, props);
        }
        int accounts;
        try (Statement s = connections[0].createStatement(); ResultSet r = s.executeQuery("select max(aid) from pgbench_accounts")) {
            r.next();
            accounts = r.getInt(1);
        }
        run(connections, accounts, secs); // warm-up
        long[][] latencies = new long[threads][];
        long ops = run(connections, accounts, secs, latencies);
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6;
        System.out.printf("tps %.1f p99 %.3f%n", ops / (double) secs, p99);
        for (Connection c : connections) {
            c.close();
        }
    }

    private static long run(Connection[] connections, int accounts, int secs) throws Exception {
        return run(connections, accounts, secs, new long[connections.length][]);
    }

    /** Runs every connection's loop on a thread of its own for {@code secs}; fills each thread's latencies (ns). */
    private static long run(Connection[] connections, int accounts, int secs, long[][] latencies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[connections.length];
        Exception[] failed = new Exception[1];
        long[] counts = new long[connections.length];
        long[] deadline = new long[1];
        for (int i = 0; i < workers.length; i++) {
            int w = i;
            workers[i] = new Thread(() -> {
                long[] lat = new long[1 << 16];
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
                latencies[w] = Arrays.copyOf(lat, n);
            }, "jdbc-" + i);
            workers[i].start();
        }
        deadline[0] = System.nanoTime() + secs * 1_000_000_000L;
        start.countDown();
        long total = 0;
        for (int i = 0; i < workers.length; i++) {
            workers[i].join();
            total += counts[i];
        }
        synchronized (failed) {
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        return total;
    }
}
