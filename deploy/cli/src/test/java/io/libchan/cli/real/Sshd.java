package io.libchan.cli.real;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH server: {@code sshd -D -e} with its own configuration, host key and one
 * user key, on a free loopback port; the user is the one running the tests (root in CI).
 */
final class Sshd implements AutoCloseable {
    final Path dir;
    final int port;
    final String user = System.getProperty("user.name");
    private final Child server;

    private Sshd(Path dir, int port, Child server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    static Sshd start(Path logDir) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("libchan-sshd");
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("user_key"));
        Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
        if (RealTools.root()) {
            // sshd started by root checks for its privilege separation directory (Debian's service makes it)
            Files.createDirectories(Path.of("/run/sshd"));
        }
        int port = Postgres.freePort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PidFile none",
                "Subsystem sftp internal-sftp",
                ""));
        ProcessBuilder pb = new ProcessBuilder(RealTools.path("sshd"), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true);
        Child server = new Child(pb, logDir, "sshd");
        server.awaitLine(l -> l.startsWith("Server listening on 127.0.0.1 port " + port));
        return new Sshd(dir, port, server);
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(RealTools.path("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
    }

    /**
     * {@code tool} ({@code ssh} or {@code scp}) with options that reach this server through
     * {@code proxyCommand}, using only the throwaway keys (no user configuration, no known hosts).
     */
    List<String> command(String tool, String proxyCommand) {
        List<String> c = new ArrayList<>(List.of(RealTools.path(tool), "-F", "/dev/null", "-i", dir.resolve("user_key").toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ProxyCommand=" + proxyCommand));
        c.add(tool.equals("scp") ? "-P" : "-p");
        c.add(Integer.toString(port));
        return c;
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
