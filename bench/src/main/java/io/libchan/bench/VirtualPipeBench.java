package io.libchan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same round trip as {@link PipeBench}, with the server loop and every client on virtual
 * threads (Java 21+). The clients are JMH's own worker threads, made virtual by
 * {@code -Djmh.executor=VIRTUAL} in the fork; the server thread is started through
 * {@link VirtualThreads}. {@code virtual_64} is 64 virtual client threads, each blocking.
 * On Java 17 these benchmarks cannot run ({@link Compare} skips them and says so).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Djmh.executor=VIRTUAL")
public class VirtualPipeBench {

    /** The server, on a virtual thread. */
    @State(Scope.Benchmark)
    public static class Virtual {
        EchoServer server;

        @Setup(Level.Trial)
        public void start() {
            if (!VirtualThreads.available()) {
                throw new UnsupportedOperationException("skipped: " + VirtualThreads.unavailableReason());
            }
            server = new EchoServer(EchoServer.Mode.VIRTUAL);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** Checks, once per client thread, that JMH really runs it on a virtual thread. */
    @State(Scope.Thread)
    public static class Client {
        @Setup(Level.Trial)
        public void check() {
            if (!VirtualThreads.isVirtual(Thread.currentThread())) {
                throw new IllegalStateException("the client is not a virtual thread: run the fork with"
                        + " -Djmh.executor=VIRTUAL (a -jvmArgsAppend on the command line replaces the"
                        + " annotation's; add it there)");
            }
        }
    }

    @Benchmark
    public Reply virtual_1(Virtual s, Client c) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @Threads(Payloads.IN_FLIGHT)
    public Reply virtual_64(Virtual s, Client c) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply virtual_rtt(Virtual s, Client c) {
        return EchoServer.call(s.server.requests());
    }
}
