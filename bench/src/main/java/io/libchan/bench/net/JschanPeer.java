package io.libchan.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jschan (node) echo server of {@code interop/jschan}, started for one benchmark trial:
 * {@code node --no-deprecation -r ./shim.js echo-server.js spdy 0} with {@code NODELAY=1}, on
 * 127.0.0.1 and a free port read from its first line; stopped by its pid. The folder is
 * {@code -Dlibchan.bench.jschan=DIR}, else {@code $LIBCHAN_JSCHAN_DIR}, else the first
 * {@code interop/jschan} found from the working directory upwards.
 */
final class JschanPeer implements AutoCloseable {
    private final Process process;
    final int port;

    JschanPeer() throws IOException {
        Path dir = locate();
        if (!Files.isDirectory(dir.resolve("node_modules/jschan"))) {
            throw new IllegalStateException("jschan is not installed in " + dir + ": run bash interop/jschan/setup.sh");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("node", "--no-deprecation", "-r", "./shim.js",
                "echo-server.js", "spdy", "0", Net.HOST))
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("NODELAY", "1");
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.contains("listening on")) {
            close();
            throw new IOException("the jschan echo server did not start: " + line);
        }
        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
        LibchanTcpServer.daemon("jschan-output", () -> {
            try {
                while (out.readLine() != null) {
                    // keep its pipe from filling up
                }
            } catch (IOException e) {
                // it ended
            }
        });
    }

    static Path locate() {
        String configured = System.getProperty("libchan.bench.jschan", System.getenv("LIBCHAN_JSCHAN_DIR"));
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && p != null; i++, p = p.getParent()) {
            Path candidate = p.resolve("interop/jschan");
            if (Files.isRegularFile(candidate.resolve("echo-server.js"))) {
                return candidate;
            }
        }
        return Path.of("interop/jschan").toAbsolutePath();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM to this pid
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
