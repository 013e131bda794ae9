package io.libchan.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jschan peer installed by {@code interop/jschan/setup.sh}: node 20 with the shim, and pristine
 * node 0.10.48. Tests are skipped when it is not installed, unless {@code LIBCHAN_INTEROP_REQUIRED} is
 * set (by {@code .ci/run}) or {@code -Dlibchan.interop.required=true}, in which case they fail.
 */
final class JschanPeer {
    enum Node { NODE20, NODE010 }

    static final Path DIR = locate();

    private JschanPeer() {
    }

    private static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
            Path candidate = p.resolve("interop/jschan");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("interop/jschan").toAbsolutePath();
    }

    static void assumeInstalled(Node node) {
        boolean installed = Files.isDirectory(DIR.resolve("node_modules/jschan"))
                && (node == Node.NODE20 || Files.isExecutable(DIR.resolve("node010/node-v0.10.48/bin/node")));
        boolean required = Boolean.getBoolean("libchan.interop.required") || System.getenv("LIBCHAN_INTEROP_REQUIRED") != null;
        if (required && !installed) {
            throw new IllegalStateException("the jschan peer is not installed in " + DIR + ": run interop/jschan/setup.sh");
        }
        assumeTrue(installed, "jschan peer not installed (run interop/jschan/setup.sh)");
    }

    static ProcessBuilder command(Node node, String script, String... args) {
        List<String> cmd = new ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile());
        if (node == Node.NODE20) {
            cmd.addAll(List.of("node", "--no-deprecation", "-r", "./shim.js", script));
        } else {
            cmd.addAll(List.of(DIR.resolve("node010/node-v0.10.48/bin/node").toString(), script));
            pb.environment().put("JSCHAN", DIR.resolve("node010/node_modules/jschan").toString());
        }
        cmd.addAll(List.of(args));
        return pb;
    }

    /** Runs a script to its end; returns its exit code and output lines. */
    record Result(int exitCode, List<String> lines) {
    }

    static Result run(ProcessBuilder pb, long timeoutSeconds) throws IOException, InterruptedException {
        File log = File.createTempFile("jschan", ".log");
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("jschan script timed out; output:\n" + Files.readString(log.toPath()));
            }
            return new Result(p.exitValue(), Files.readAllLines(log.toPath()));
        } finally {
            p.destroyForcibly();
            log.delete();
        }
    }

    /** A long-running jschan echo server; its port is read from its first line. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;

        Server(Node node, String transport, String... env) throws IOException {
            ProcessBuilder pb = command(node, "echo-server.js", transport, "0");
            for (int i = 0; i + 1 < env.length; i += 2) {
                pb.environment().put(env[i], env[i + 1]);
            }
            pb.redirectErrorStream(true);
            process = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.contains("listening on")) {
                process.destroyForcibly();
                throw new IOException("jschan echo server did not start: " + line);
            }
            port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe from filling up
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
