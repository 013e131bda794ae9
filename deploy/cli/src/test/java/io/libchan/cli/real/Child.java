package io.libchan.cli.real;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose stdout lines are queued as they come (read by a thread of its own) and
 * whose stderr goes to a file; {@link #kill()} ends it by its pid.
 */
final class Child implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final String END = new String("end of output"); // identity marks the end
    final Process process;
    final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Child(List<String> command, Path logDir, String name) throws IOException {
        this(new ProcessBuilder(command), logDir, name);
    }

    Child(ProcessBuilder builder, Path logDir, String name) throws IOException {
        this.stderr = Files.createTempFile(logDir, name, ".err");
        this.process = builder.redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process is gone: END says so
            }
            lines.add(END);
        }, "child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next stdout line that matches, skipping the others; fails at the end of output or after {@link #WAIT}. */
    String awaitLine(Predicate<String> matching) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertTrue(line != null && line != END, () -> "no matching line from the child; its stderr: " + errors());
            if (matching.test(line)) {
                return line;
            }
        }
    }

    /** Drops the lines read so far. */
    void skipLines() {
        lines.removeIf(l -> l != END);
    }

    String errors() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGKILL by pid, then waits for the end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: servers shut down cleanly
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
