package io.libchan.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * When a check fails (a hang ends in a timeout), writes the thread dumps of this JVM and of the
 * WildFly it started (every descendant java process, through {@code jcmd PID Thread.print}) under
 * {@code target/thread-dumps/}, and says where on standard error, then rethrows: a rare hang in CI
 * leaves what is needed to find it. Nothing happens while the check passes.
 */
final class ThreadDumps {
    private ThreadDumps() {
    }

    static void onFailure(String name, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException | AssertionError e) {
            try {
                dump(name);
            } catch (IOException | RuntimeException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
    }

    private static void dump(String name) throws IOException {
        Path dir = Path.of("target", "thread-dumps");
        Files.createDirectories(dir);
        String stem = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + System.currentTimeMillis();
        StringBuilder client = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            client.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
            for (StackTraceElement frame : t.getStackTrace()) {
                client.append("\tat ").append(frame).append('\n');
            }
            client.append('\n');
        }
        Path clientFile = dir.resolve(stem + "-client.txt");
        Files.writeString(clientFile, client, StandardCharsets.UTF_8);
        System.err.println("thread dump of the test JVM: " + clientFile.toAbsolutePath());
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (ProcessHandle p : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
            String command = p.info().command().orElse("");
            if (!command.endsWith("java")) {
                continue;
            }
            Path serverFile = dir.resolve(stem + "-server-" + p.pid() + ".txt");
            Process jstack = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(serverFile.toFile()).start();
            try {
                if (!jstack.waitFor(30, TimeUnit.SECONDS)) {
                    jstack.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.err.println("thread dump of java process " + p.pid() + " (WildFly): " + serverFile.toAbsolutePath());
        }
    }
}
