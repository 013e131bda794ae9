package io.libchan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-memory request/reply over libchan pipes with a nested reply channel (Go libchan's pipe
 * benchmark), the server on a platform thread or push-style. Clients run on JMH's (platform)
 * worker threads. See {@link VirtualPipeBench} for the virtual-thread mode.
 *
 * <ul>
 *   <li>{@code *_1}: one request in flight, a blocking {@code send} then {@code receive};
 *   <li>{@code *_64}: 64 in flight from one thread with {@code receiveAsync}/{@code sendAsync}
 *       (like rsocket's {@code flatMap(..., 64)}); one op = one round trip;
 *   <li>{@code platform_64threads}: 64 platform client threads, each blocking;
 *   <li>{@code *_rtt}: the single round trip again, sampled, for its median in microseconds.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipeBench {

    /** A server whose loop runs on its own platform thread. */
    @State(Scope.Benchmark)
    public static class Platform {
        EchoServer server;

        @Setup(Level.Trial)
        public void start() {
            server = new EchoServer(EchoServer.Mode.PLATFORM);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** A push-style server: {@code subscribe} with a direct executor. */
    @State(Scope.Benchmark)
    public static class PushDirect {
        EchoServer server;

        @Setup(Level.Trial)
        public void start() {
            server = new EchoServer(EchoServer.Mode.PUSH_DIRECT);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** A push-style server: {@code subscribe} with a thread pool. */
    @State(Scope.Benchmark)
    public static class PushPool {
        EchoServer server;

        @Setup(Level.Trial)
        public void start() {
            server = new EchoServer(EchoServer.Mode.PUSH_POOL);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    // ---------------------------------------------------------------- platform server

    @Benchmark
    public Reply platform_1(Platform s) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.IN_FLIGHT)
    public Reply platform_64(Platform s) {
        return EchoServer.callMany(s.server.requests());
    }

    @Benchmark
    @Threads(Payloads.IN_FLIGHT)
    public Reply platform_64threads(Platform s) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply platform_rtt(Platform s) {
        return EchoServer.call(s.server.requests());
    }

    // ---------------------------------------------------------------- push, direct executor

    @Benchmark
    public Reply pushDirect_1(PushDirect s) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.IN_FLIGHT)
    public Reply pushDirect_64(PushDirect s) {
        return EchoServer.callMany(s.server.requests());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply pushDirect_rtt(PushDirect s) {
        return EchoServer.call(s.server.requests());
    }

    // ---------------------------------------------------------------- push, pool

    @Benchmark
    public Reply pushPool_1(PushPool s) {
        return EchoServer.call(s.server.requests());
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.IN_FLIGHT)
    public Reply pushPool_64(PushPool s) {
        return EchoServer.callMany(s.server.requests());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply pushPool_rtt(PushPool s) {
        return EchoServer.call(s.server.requests());
    }
}
