package io.libchan.bench.net;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This JVM's context switches and read/write system calls, from Linux's {@code /proc/self}: no
 * {@code perf} or privileges needed. Each method returns -1 where {@code /proc} is not there.
 */
final class ProcCounters {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path IO = Path.of("/proc/self/io");

    private ProcCounters() {
    }

    /** Voluntary and involuntary context switches of every thread alive now, or -1. */
    static long contextSwitches() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                sum += switchesOf(task.resolve("status"));
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    private static long switchesOf(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            return 0; // the thread ended while we looked
        }
        long sum = 0;
        for (String line : lines) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return sum;
    }

    /** Read- and write-type system calls of the whole process so far ({@code syscr + syscw}), or -1. */
    static long readWriteCalls() {
        try {
            long sum = 0;
            for (String line : Files.readAllLines(IO)) {
                if (line.startsWith("syscr:") || line.startsWith("syscw:")) {
                    sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
