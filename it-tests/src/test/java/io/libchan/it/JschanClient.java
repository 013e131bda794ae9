package io.libchan.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * jschan 0.2.1 on node 20 (installed by {@code interop/jschan/setup.sh}) running its own client,
 * {@code interop-demo.js}: four checks against an echo service, one {@code PASS}/{@code FAIL} line
 * each, then {@code all passed}. Skipped when jschan or node is missing, unless
 * {@code LIBCHAN_INTEROP_REQUIRED} is set (as {@code .ci/run} does) or
 * {@code -Dlibchan.interop.required=true}: then that is a failure.
 */
final class JschanClient {
    private static final Path DIR = Path.of(System.getProperty("it.jschan.dir", "../interop/jschan")).toAbsolutePath().normalize();

    /** Exit code and output of one run. */
    record Result(int exitCode, List<String> lines) {
        long passed() {
            return lines.stream().filter(l -> l.startsWith("PASS")).count();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + String.join("\n", lines);
        }
    }

    private JschanClient() {
    }

    static void assumeInstalled() {
        boolean installed = Files.isDirectory(DIR.resolve("node_modules/jschan")) && nodeRuns();
        boolean required = Boolean.getBoolean("libchan.interop.required") || System.getenv("LIBCHAN_INTEROP_REQUIRED") != null;
        if (required && !installed) {
            throw new IllegalStateException("jschan on node 20 is not installed in " + DIR + ": run interop/jschan/setup.sh");
        }
        assumeTrue(installed, "jschan peer not installed (run interop/jschan/setup.sh)");
    }

    /** Runs the jschan client against the SPDY/3 server on 127.0.0.1:{@code port}; its output goes to a file, not our console. */
    static Result runChecks(int port) throws IOException, InterruptedException {
        File log = File.createTempFile("jschan-client", ".log");
        try {
            Process p = new ProcessBuilder("node", "--no-deprecation", "-r", "./shim.js", "interop-demo.js", "spdy", Integer.toString(port))
                    .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(log).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("jschan client still running after 60 s:\n" + Files.readString(log.toPath()));
                }
                return new Result(p.exitValue(), Files.readAllLines(log.toPath()));
            } finally {
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
