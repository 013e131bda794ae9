package io.libchan.bench.net;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof io.libchan.bench.net.CpuProfiler}) that reports what the whole
 * benchmark JVM spent per op: {@code cpu.per.op}, process CPU time in microseconds (user + system,
 * every thread: client, server, GC, JIT); {@code alloc.per.op}, bytes allocated on the heap (every
 * live thread, {@code com.sun.management.ThreadMXBean}); {@code cs.per.op}, context switches
 * (voluntary and not, every thread, from {@code /proc/self/task/}); {@code rw.per.op}, read- and
 * write-type system calls ({@code syscr + syscw} of {@code /proc/self/io}: read/write/readv/
 * writev/sendfile..., not epoll, futex or sendmsg). Client and server of every network benchmark
 * run in that one JVM (jschan's node server does not, so its figure is the client side only).
 *
 * <p>On a shared machine these are steadier than throughput: other tenants' load stretches waits
 * but barely changes the CPU an op costs, and the allocations, context switches and system calls of
 * a 1-in-flight round trip hardly at all (with many in flight, load changes how much each read
 * batches). Counts of threads that end during an iteration are lost; the benchmarks' threads live
 * for the whole run. Without {@code /proc} (not Linux) the two counts are absent.
 */
public final class CpuProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long cpuBefore;
    private long allocBefore;
    private long switchesBefore;
    private long rwBefore;

    @Override
    public String getDescription() {
        return "process CPU time per op (us), client and server together";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        allocBefore = allocated();
        switchesBefore = ProcCounters.contextSwitches();
        rwBefore = ProcCounters.readWriteCalls();
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long rw = ProcCounters.readWriteCalls() - rwBefore;
        long switches = ProcCounters.contextSwitches() - switchesBefore;
        long alloc = allocated() - allocBefore;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        List<Result> results = new ArrayList<>();
        results.add(new ScalarResult("cpu.per.op", cpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
        results.add(new ScalarResult("alloc.per.op", alloc / (double) ops, "B/op", AggregationPolicy.AVG));
        if (switchesBefore >= 0 && switches >= 0) {
            results.add(new ScalarResult("cs.per.op", switches / (double) ops, "#/op", AggregationPolicy.AVG));
        }
        if (rwBefore >= 0 && rw >= 0) {
            results.add(new ScalarResult("rw.per.op", rw / (double) ops, "#/op", AggregationPolicy.AVG));
        }
        return results;
    }

    /** Bytes allocated so far by the threads alive now. */
    private long allocated() {
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) {
                sum += bytes;
            }
        }
        return sum;
    }
}
