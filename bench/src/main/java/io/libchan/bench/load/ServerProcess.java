package io.libchan.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One server under test, in a JVM of its own, measured from outside: started with its output
 * (stdout and stderr together) copied to a log file, its port read from the first line that says
 * {@code listening ...:PORT}; RSS and threads from {@code /proc/PID/status}, fds from
 * {@code /proc/PID/fd}, heap after GC from {@code jcmd PID GC.run} then {@code jcmd PID GC.heap_info}.
 * A sampler keeps the peaks of threads, RSS and fds once a second; a watchdog kills the process
 * when its scenario overruns. Stopped by its pid (SIGTERM, then SIGKILL after 5 s).
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening .*:(\\d+)\\s*$");
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    final String label;
    final Path log;
    final int port;
    private final Process process;
    private final Path jcmd;
    private final AtomicInteger oomLines = new AtomicInteger();
    private volatile String firstOom;
    private volatile boolean attached;
    private volatile boolean killedByWatchdog;
    private final AtomicLong peakThreads = new AtomicLong();
    private final AtomicLong peakOwnThreads = new AtomicLong();
    private final AtomicLong peakRssKib = new AtomicLong();
    private final AtomicLong peakFds = new AtomicLong();
    private final Thread sampler;

    /** What /proc and jcmd say at one moment; -1 where it could not be read. */
    record Snapshot(long rssKib, long threads, long fds, long heapAfterGcKib) {
    }

    private ServerProcess(String label, List<String> command, Path log, Path jcmd) throws IOException {
        this.label = label;
        this.log = log;
        this.jcmd = jcmd;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        CompletableFuture<Integer> portFound = new CompletableFuture<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        file.println("# " + String.join(" ", command));
        daemon(label + "-output", () -> {
            try (file) {
                String line;
                while ((line = out.readLine()) != null) {
                    file.println(line);
                    Matcher m = LISTENING.matcher(line);
                    if (!portFound.isDone() && m.find()) {
                        portFound.complete(Integer.parseInt(m.group(1)));
                    }
                    if (line.contains("OutOfMemoryError")) {
                        oomLines.incrementAndGet();
                        if (firstOom == null) {
                            firstOom = line.trim();
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            portFound.completeExceptionally(new IOException(label + " ended before it listened; see " + log));
        });
        try {
            this.port = portFound.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException(label + " did not print its port within 60 s; see " + log, e);
        }
        sampler = daemon(label + "-sampler", () -> {
            while (process.isAlive()) {
                peakThreads.accumulateAndGet(threads(), Math::max);
                peakOwnThreads.accumulateAndGet(ownThreads(), Math::max);
                peakRssKib.accumulateAndGet(statusKib("VmRSS:"), Math::max);
                peakFds.accumulateAndGet(fds(), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Our server: {@code java -XmxN [opts] -jar libchan.jar echo --listen
     * tcp://127.0.0.1:0?firstStreamTimeout=0}. Without a deadline for the first channel, as
     * grpc-java has none by default: (a) measures what holding an idle connection costs, which a
     * server closing it after 10 s (the default) would hide.
     */
    static ServerProcess libchan(Config c, String scenario) throws IOException {
        List<String> cmd = jvm(c);
        cmd.addAll(List.of("-jar", c.libchanJar.toString(), "echo", "--listen", "tcp://127.0.0.1:0?firstStreamTimeout=0"));
        return new ServerProcess("ours", cmd, c.out.resolve(scenario + "-ours.log"), c.jcmd());
    }

    /** grpc-java's: {@code java -XmxN [opts] -cp benchmarks.jar io.libchan.bench.load.GrpcEchoServer 127.0.0.1 0}. */
    static ServerProcess grpc(Config c, String scenario) throws IOException {
        List<String> cmd = jvm(c);
        cmd.addAll(List.of("-cp", c.benchJar.toString(), GrpcEchoServer.class.getName(), "127.0.0.1", "0"));
        return new ServerProcess("grpc-java", cmd, c.out.resolve(scenario + "-grpc.log"), c.jcmd());
    }

    private static List<String> jvm(Config c) {
        List<String> cmd = new ArrayList<>();
        cmd.add(c.java.toString());
        cmd.add("-Xmx" + c.xmx);
        cmd.addAll(c.serverJvmOptions);
        return cmd;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** "alive", or how it ended: its exit code (128 + n: killed by signal n). */
    String status() {
        return process.isAlive() ? "alive" : "exited with code " + process.exitValue();
    }

    int oomLines() {
        return oomLines.get();
    }

    String firstOom() {
        return firstOom;
    }

    boolean killedByWatchdog() {
        return killedByWatchdog;
    }

    long peakThreads() {
        return Math.max(peakThreads.get(), threads());
    }

    /** The peak of {@link #ownThreads()}, sampled once a second. */
    long peakOwnThreads() {
        return Math.max(peakOwnThreads.get(), ownThreads());
    }

    /**
     * Names (as /proc shows them, cut to 15 characters) of the threads the JVM runs for itself
     * whatever the program: the VM thread, GC, JIT compilers, reference handling, signals,
     * service threads, and the launcher's first thread (the second "java": the program's main is
     * the first). HotSpot 17-25 with G1 or Serial; a JVM with other internal threads counts them as
     * the program's.
     */
    private static final java.util.List<String> JVM_THREAD_PREFIXES = java.util.List.of("VM Thread", "VM Periodic Tas",
            "GC Thread#", "G1 ", "C1 CompilerThre", "C2 CompilerThre", "Sweeper thread", "Signal Dispatch", "Service Thread",
            "Reference Handl", "Finalizer", "Common-Cleaner", "Notification Th", "Monitor Deflati", "Attach Listener");

    /**
     * Threads of the program itself: every thread of the process but the JVM's own
     * ({@link #JVM_THREAD_PREFIXES}) and the launcher's waiting first thread; -1 once it has ended.
     */
    long ownThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            long java = 0;
            long own = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                if (name.equals("java")) {
                    java++;
                } else if (JVM_THREAD_PREFIXES.stream().noneMatch(name::startsWith)) {
                    own++;
                }
            }
            return own + Math.max(0, java - 1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    long peakRssKib() {
        return Math.max(peakRssKib.get(), statusKib("VmRSS:"));
    }

    long peakFds() {
        return Math.max(peakFds.get(), fds());
    }

    /** Kills the process after {@code seconds} unless it is closed before: a hung server ends its scenario. */
    void watchdog(long seconds) {
        daemon(label + "-watchdog", () -> {
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    killedByWatchdog = true;
                    LoadHarness.say("%s: scenario overran %d s, killing pid %d", label, seconds, pid());
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /**
     * A full GC and the heap used after it, then RSS, threads and fds (after the GC, so that a
     * baseline and a loaded snapshot are taken in the same state: G1 may give memory back in a full GC).
     */
    Snapshot snapshot() {
        long heap = heapAfterGcKib();
        long rss = statusKib("VmRSS:");
        long threads = threads();
        long fds = fds();
        return new Snapshot(rss, threads, fds, heap);
    }

    /**
     * Threads of the process ({@code Threads:} in /proc/PID/status), not counting the JVM's
     * "Attach Listener", which our first jcmd starts and which stays.
     */
    long threads() {
        long t = statusKib("Threads:");
        return t < 0 ? -1 : t - (attached ? 1 : 0);
    }

    long fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A field of /proc/PID/status, its first number (kB for VmRSS). */
    private long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** The sum of "used" over the heap's lines of GC.heap_info (G1: one line; Serial, Parallel: two), after GC.run. */
    private long heapAfterGcKib() {
        if (!alive() || jcmd("GC.run") == null) {
            return -1;
        }
        String info = jcmd("GC.heap_info");
        if (info == null) {
            return -1;
        }
        long used = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
                found = true;
            }
        }
        return found ? used : -1;
    }

    /** Runs {@code jcmd PID command} with a 90 s limit; null if it failed or hung. */
    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true).start();
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LoadHarness.say("%s: jcmd %s hung, killed it", label, command);
                return null;
            }
            attached = true;
            String s = text.get(5, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? s : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.interrupt();
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
