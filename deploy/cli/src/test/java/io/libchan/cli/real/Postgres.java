package io.libchan.cli.real;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL: {@code initdb} in a temporary directory, {@code postgres} on a free
 * loopback port (and a unix socket in that directory), trust authentication for user
 * {@code postgres}. PostgreSQL refuses to run as root: under root both run as {@code nobody}, in a
 * directory that user owns.
 */
final class Postgres implements AutoCloseable {
    final Path dir;
    final int port;
    private final Child server;

    private Postgres(Path dir, int port, Child server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    static Postgres start(Path logDir) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("libchan-pg");
        if (RealTools.root()) {
            run(List.of("chown", "nobody", dir.toString()), logDir);
        }
        run(asServerUser(List.of(RealTools.path("initdb"), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C")), logDir);
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(asServerUser(List.of(RealTools.path("postgres"), "-D", dir.resolve("data").toString(),
                "-p", Integer.toString(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "max_connections=40"))).redirectErrorStream(true);
        Child server = new Child(pb, logDir, "postgres");
        server.awaitLine(l -> l.contains("database system is ready to accept connections"));
        return new Postgres(dir, port, server);
    }

    /** Under root, the command as nobody: setpriv execs it, so the pid we stop is the server's own. */
    private static List<String> asServerUser(List<String> command) {
        if (!RealTools.root()) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        c.addAll(command);
        return c;
    }

    private static void run(List<String> command, Path logDir) throws IOException, InterruptedException {
        Path log = Files.createTempFile(logDir, "pg-setup", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> command + " failed: " + read(log));
    }

    /** Runs {@code sql} on the server directly (its unix socket), not through any gateway; its rows, unaligned. */
    String query(String sql) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(RealTools.path("psql"), "-h", dir.toString(), "-p", Integer.toString(port),
                "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), () -> "psql failed: " + out);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        server.close(); // SIGTERM: a smart shutdown, its backends end with it
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) { // the cluster: some 40 MB
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
