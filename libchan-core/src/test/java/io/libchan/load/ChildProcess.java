package io.libchan.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ChildServer} started in a JVM of its own with the given options; {@link #close()} stops it. */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final Path errors;
    final URI uri;

    ChildProcess(String listen, String... jvmOptions) throws IOException {
        this(0, listen, jvmOptions);
    }

    /** @param fileDescriptors the child's limit of open files ({@code ulimit -n}), 0 for the default */
    ChildProcess(int fileDescriptors, String listen, String... jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (fileDescriptors > 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -n " + fileDescriptors + " && exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildServer.class.getName());
        cmd.add(listen);
        errors = Files.createTempFile("libchan-child", ".err");
        process = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String first = out.readLine();
        if (first == null || !first.startsWith("listening ")) {
            throw new IOException("the child server did not start: " + first + "\n" + errors());
        }
        uri = URI.create(first.substring("listening ".length()));
    }

    /** {threads, heap bytes after GC, messages served}. */
    long[] stats() throws IOException {
        in.println("stats");
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the child server is gone: " + errors());
        }
        String[] w = line.split(" ");
        return new long[] {Long.parseLong(w[1]), Long.parseLong(w[3]), Long.parseLong(w[5])};
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the child used so far, user and system, in clock ticks (Linux {@code /proc/PID/stat}). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    }

    String errors() {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        in.println("quit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(errors);
    }
}
