package io.libchan.cli.real;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.cli.TestCertificates;
import io.libchan.unix.GatewaySocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The built {@code libchan.jar}'s gateway in front of a real PostgreSQL and a real OpenSSH server,
 * over tcp://, tls:// and unix:// (where the gateway hands the target's socket over): psql and
 * pgbench through {@code forward}, JDBC on the socket the unix:// gateway hands over, ssh and scp through {@code connect} as their ProxyCommand, the
 * refusals, and a peer killed mid-transfer. Each gateway prints a line per closed tunnel, which
 * says whether it copied the bytes and how many tunnels are still open.
 */
class GatewayRealPartsIT {
    enum Door { TCP, TLS, UNIX }

    private static final Pattern FORWARDING = Pattern.compile("forwarding 127\\.0\\.0\\.1:(\\d+) -> (\\S+)");
    private static final Pattern SPLICED = Pattern.compile("closed (\\S+): ([1-9]\\d*) bytes to, ([1-9]\\d*) bytes from the target, (\\d+) open");
    private static Path logs;
    private static Postgres pg;
    private static Sshd sshd;
    private static int downPort;
    private static boolean pgbenchTables;
    private static final Map<Door, Child> GATEWAYS = new EnumMap<>(Door.class);
    private static final Map<Door, String> URIS = new EnumMap<>(Door.class);
    private static final List<Child> SERVERS = new ArrayList<>();
    private final List<Child> children = new ArrayList<>();
    private final List<Process> clients = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        RealTools.require("initdb", "postgres", "psql", "pgbench", "sshd", "ssh", "scp", "ssh-keygen");
        logs = Files.createTempDirectory("libchan-real");
        pg = Postgres.start(logs);
        sshd = Sshd.start(logs);
        downPort = Postgres.freePort(); // nothing listens there: connecting is refused
        for (Door d : Door.values()) {
            Gateway g = gateway(d);
            SERVERS.add(g.child());
            GATEWAYS.put(d, g.child());
            URIS.put(d, g.uri());
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (Child c : SERVERS) {
            c.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @AfterEach
    void stopClients() throws Exception {
        for (Process p : clients) {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        for (Child c : children) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ libchan.jar

    private static List<String> jar(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("libchan.jar", "target/libchan.jar")));
        c.addAll(List.of(args));
        return c;
    }

    /** A gateway process and the URI it listens on. */
    private record Gateway(Child child, String uri) {
    }

    private static Gateway gateway(Door d) throws Exception {
        String listen = d == Door.TCP ? "tcp://127.0.0.1:0" : d == Door.TLS ? "tls://127.0.0.1:0"
                : "unix://" + Files.createTempDirectory(logs, "gw").resolve("gw.sock");
        List<String> args = new ArrayList<>(jar("gateway", "--listen", listen,
                "--target", "pg=tcp://127.0.0.1:" + pg.port,
                "--target", "ssh=tcp://127.0.0.1:" + sshd.port,
                "--target", "down=tcp://127.0.0.1:" + downPort));
        if (d == Door.TLS) {
            args.addAll(List.of("--keystore", TestCertificates.keyStore().toString(), "--keystore-password", TestCertificates.PASSWORD));
        }
        Child g = new Child(args, logs, "gateway-" + d);
        String first = g.awaitLine(l -> true);
        assertTrue(first.startsWith("listening "), first);
        return new Gateway(g, first.substring("listening ".length()));
    }

    /** The options a client of door {@code d} needs: the test's self-signed certificate is trusted as is. */
    private static List<String> clientOptions(Door d) {
        return d == Door.TLS ? List.of("--insecure") : List.of();
    }

    /** A {@code forward} process to the gateway at {@code uri}; returns the local port it prints. */
    private int forward(Door d, String uri, String target) throws Exception {
        List<String> args = new ArrayList<>(jar("forward", "--local", "127.0.0.1:0", uri, target));
        args.addAll(clientOptions(d));
        Child f = new Child(args, logs, "forward-" + d);
        children.add(f);
        Matcher m = FORWARDING.matcher(f.awaitLine(l -> true));
        assertTrue(m.matches() && m.group(2).equals(target));
        return Integer.parseInt(m.group(1));
    }

    /** The ProxyCommand that joins ssh to the gateway's target {@code target} (ssh runs it with exec). */
    private static String proxyCommand(Door d, String target) {
        StringBuilder b = new StringBuilder();
        for (String a : jar("connect", URIS.get(d), target)) {
            b.append(b.length() == 0 ? "'" : " '").append(a.replace("'", "'\\''")).append('\'');
        }
        clientOptions(d).forEach(o -> b.append(' ').append(o));
        return b.toString();
    }

    // ------------------------------------------------------------------ clients

    /** Runs a client to its end; its stdout, asserting exit 0 (its stderr, where ProxyCommand's goes too, in the message). */
    private static String run(ProcessBuilder pb) throws Exception {
        Path err = Files.createTempFile(logs, "client", ".err");
        Process p = pb.redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        String errors = Files.readString(err);
        assertTrue(ended, () -> pb.command() + " did not end: " + out + errors);
        assertEquals(0, p.exitValue(), () -> pb.command() + " failed: " + out + errors);
        return out;
    }

    private static ProcessBuilder psql(int port, String... commands) {
        List<String> c = new ArrayList<>(List.of(RealTools.path("psql"), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qAt"));
        for (String sql : commands) {
            c.add("-c");
            c.add(sql);
        }
        return new ProcessBuilder(c);
    }

    private static void assertTunnelClosed(Door d, Child gateway, String target, long atLeastBytesEachWay) throws InterruptedException {
        String line = gateway.awaitLine(l -> l.startsWith("closed " + target + ":"));
        if (d == Door.UNIX) {
            // the gateway JVM copied nothing: the client holds the target's socket itself
            assertTrue(line.startsWith("closed " + target + ": handed over, "), line);
        } else {
            Matcher m = SPLICED.matcher(line);
            assertTrue(m.matches(), line);
            assertTrue(Long.parseLong(m.group(2)) >= atLeastBytesEachWay && Long.parseLong(m.group(3)) >= 1, line);
        }
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest
    @EnumSource(Door.class)
    void psqlThroughForwardCreatesFillsAndReadsATable(Door d) throws Exception {
        Child gateway = GATEWAYS.get(d);
        gateway.skipLines();
        int port = forward(d, URIS.get(d), "pg");
        String table = "through_" + d.name().toLowerCase();
        String out = run(psql(port, "create table " + table + " (id int primary key, name text)",
                "insert into " + table + " select i, 'row ' || i from generate_series(1, 1000) i",
                "select count(*), sum(id) from " + table + " where id > 500",
                "drop table " + table));
        assertEquals("500|375250", out.trim());
        assertTunnelClosed(d, gateway, "pg", 1);
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void pgbenchThroughForwardEndsWithNoFailedTransaction(Door d) throws Exception {
        int port = forward(d, URIS.get(d), "pg");
        List<String> common = List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres");
        if (!pgbenchTables) { // the first door to run fills the tables through its gateway; the others reuse them
            List<String> init = new ArrayList<>(List.of(RealTools.path("pgbench"), "-i", "-q", "-s", "1"));
            init.addAll(common);
            init.add("postgres");
            run(new ProcessBuilder(init));
            pgbenchTables = true;
        }
        List<String> select = new ArrayList<>(List.of(RealTools.path("pgbench"), "-S", "-n", "-c", "4", "-j", "2", "-t", "250"));
        select.addAll(common);
        select.add("postgres");
        String out = run(new ProcessBuilder(select));
        // a count of transactions, not a duration: a slow machine makes it slower, not different
        assertTrue(out.contains("number of transactions actually processed: 1000/1000"), out);
        assertTrue(out.contains("number of failed transactions: 0 (0.000%)"), out);
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void sshRunsACommandThroughConnect(Door d) throws Exception {
        Child gateway = GATEWAYS.get(d);
        gateway.skipLines();
        List<String> ssh = sshd.command("ssh", proxyCommand(d, "ssh"));
        ssh.addAll(List.of(sshd.user + "@127.0.0.1", "echo through the gateway; id -un"));
        assertEquals("through the gateway\n" + sshd.user + "\n", run(new ProcessBuilder(ssh)));
        assertTunnelClosed(d, gateway, "ssh", 1);
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void scpCopiesFiftyMegabytesIntact(Door d) throws Exception {
        Child gateway = GATEWAYS.get(d);
        gateway.skipLines();
        Path dir = Files.createTempDirectory(logs, "scp");
        Path source = dir.resolve("fifty.bin");
        Random random = new Random(d.ordinal());
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(source)) {
            for (int i = 0; i < 50; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        Path copy = dir.resolve("copy.bin");
        List<String> scp = sshd.command("scp", proxyCommand(d, "ssh"));
        scp.addAll(List.of("-q", source.toString(), sshd.user + "@127.0.0.1:" + copy));
        run(new ProcessBuilder(scp));
        assertArrayEquals(sha256(source), sha256(copy));
        Files.delete(source); // 100 MB a door: kept only when the test fails
        Files.delete(copy);
        assertTunnelClosed(d, gateway, "ssh", 50L * 1024 * 1024);
    }

    // the refusal is a message: tls:// carries it as tcp:// does
    @ParameterizedTest
    @EnumSource(value = Door.class, names = {"TCP", "UNIX"})
    void connectNamesWhyTheGatewayRefused(Door d) throws Exception {
        assertRefused(d, "nope", "unknown target");
        assertRefused(d, "down", "connect failed");
    }

    private void assertRefused(Door d, String target, String type) throws Exception {
        List<String> args = new ArrayList<>(jar("connect", URIS.get(d), target));
        args.addAll(clientOptions(d));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        clients.add(p);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains(type), out);
    }

    /** A psql reading a COPY of {@code rows} lines of 100 bytes through {@code port}; nothing of it read yet. */
    private Process copyOut(int port, String application, long rows) throws IOException {
        ProcessBuilder pb = psql(port, "copy (select repeat('x', 99) from generate_series(1, " + rows + ")) to stdout")
                .redirectError(Files.createTempFile(logs, application, ".err").toFile());
        pb.environment().put("PGAPPNAME", application);
        Process p = pb.start();
        clients.add(p);
        p.getOutputStream().close();
        return p;
    }

    private String backends(String application) throws Exception {
        return pg.query("select count(*) from pg_stat_activity where application_name = '" + application + "'");
    }

    /** Reads to the end; the number of lines. */
    private static long drain(BufferedReader r) throws IOException {
        long lines = 0;
        while (r.readLine() != null) {
            lines++;
        }
        return lines;
    }

    @Test
    void jdbcRunsOnTheSocketTheUnixGatewayHandsToThisJvm() throws Exception {
        Child gateway = GATEWAYS.get(Door.UNIX);
        gateway.skipLines();
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("socketFactory", GatewaySocketFactory.class.getName());
        props.setProperty("socketFactoryArg", URIS.get(Door.UNIX) + " pg");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://gateway/postgres", props);
                PreparedStatement select = c.prepareStatement("select ? * 2")) {
            select.setInt(1, 21);
            try (ResultSet r = select.executeQuery()) {
                assertTrue(r.next());
                assertEquals(42, r.getInt(1));
            }
        }
        // no relay at all: pgjdbc held PostgreSQL's socket itself
        assertTunnelClosed(Door.UNIX, gateway, "pg", 0);
    }

    // tls:// tunnels as tcp:// does (the same splice): killing is tested where the byte paths differ
    @ParameterizedTest
    @EnumSource(value = Door.class, names = {"TCP", "UNIX"})
    void killingTheForwardMidTransferEndsTheTargetsConnection(Door d) throws Exception {
        Child gateway = GATEWAYS.get(d);
        gateway.skipLines();
        int port = forward(d, URIS.get(d), "pg");
        Child forward = children.get(children.size() - 1);
        String app = "kill-forward-" + d;
        Process psql = copyOut(port, app, 100_000_000L); // 10 GB: it is mid-transfer for as long as we like
        BufferedReader rows = new BufferedReader(new InputStreamReader(psql.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals(99, rows.readLine().length()); // bytes flow; the rest waits for us to read
        assertEquals("1", backends(app));

        forward.kill(); // SIGKILL: no goodbye to anyone

        drain(rows);
        assertTrue(psql.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, psql.exitValue(), "psql must see its connection lost");
        // the server's end saw EOF or a reset: its backend is gone
        await().atMost(Duration.ofSeconds(60)).until(() -> backends(app).equals("0"));
        String closed = gateway.awaitLine(l -> l.startsWith("closed pg:"));
        assertTrue(closed.endsWith(", 0 open"), closed);
    }

    @ParameterizedTest
    @EnumSource(value = Door.class, names = {"TCP", "UNIX"})
    void killingTheGatewayMidTransferEndsBothSidesUnlessItHandedTheSocketOver(Door d) throws Exception {
        Gateway own = gateway(d); // killed below: not the one the other tests share
        children.add(own.child());
        int port = forward(d, own.uri(), "pg");
        String app = "kill-gateway-" + d;
        long rows = 800_000; // 80 MB: several times what the buffers on the way hold together
        Process psql = copyOut(port, app, rows);
        BufferedReader out = new BufferedReader(new InputStreamReader(psql.getInputStream(), StandardCharsets.US_ASCII));
        assertEquals(99, out.readLine().length());
        assertEquals("1", backends(app));

        own.child().kill();

        long rest = drain(out);
        assertTrue(psql.waitFor(60, TimeUnit.SECONDS));
        if (d == Door.UNIX) {
            // the bytes never went through the gateway: the transfer did not notice it die
            assertEquals(rows - 1, rest);
            assertEquals(0, psql.exitValue());
        } else {
            assertTrue(rest < rows - 1, "the transfer must break, read " + rest);
            assertNotEquals(0, psql.exitValue(), "psql must see its connection lost");
            await().atMost(Duration.ofSeconds(60)).until(() -> backends(app).equals("0"));
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }
}
