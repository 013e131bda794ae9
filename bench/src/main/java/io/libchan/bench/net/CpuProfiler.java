package io.libchan.bench.net;

import java.lang.management.ManagementFactory;
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
 * A JMH profiler ({@code -prof io.libchan.bench.net.CpuProfiler}) that reports the CPU time the
 * whole benchmark JVM spent per op ({@code cpu.per.op}, microseconds): process CPU time (user +
 * system, every thread: client, server, GC, JIT) over the iteration, divided by the ops measured.
 * Client and server of every network benchmark run in that one JVM (jschan's node server does
 * not, so its figure is the client side only). On a shared machine this is steadier than
 * throughput: other tenants' load stretches waits but barely changes the CPU an op costs.
 */
public final class CpuProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBefore;

    @Override
    public String getDescription() {
        return "process CPU time per op (us), client and server together";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || cpu < 0) {
            return List.of();
        }
        return List.of(new ScalarResult("cpu.per.op", cpu / 1e3 / ops, "us/op", AggregationPolicy.AVG));
    }
}
