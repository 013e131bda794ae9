package io.libchan.bench;

import io.rsocket.Closeable;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.util.DefaultPayload;
import java.util.UUID;
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
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reference: rsocket-java request-response over its in-JVM local transport, an echo server,
 * a 64-byte payload. {@code rsocket_64} keeps 64 requests in flight with
 * {@code flatMap(..., 64)} from one thread; one op = one round trip.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RSocketBench {
    private Closeable server;
    private RSocket client;

    @Setup(Level.Trial)
    public void start() {
        String name = "libchan-bench-" + UUID.randomUUID();
        server = RSocketServer.create(SocketAcceptor.forRequestResponse(Mono::just))
                .bind(LocalServerTransport.create(name))
                .block();
        client = RSocketConnector.connectWith(LocalClientTransport.create(name)).block();
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.dispose();
        server.dispose();
    }

    @Benchmark
    public Payload rsocket_1() {
        return client.requestResponse(DefaultPayload.create(Payloads.BYTES)).block();
    }

    @Benchmark
    @OperationsPerInvocation(Payloads.IN_FLIGHT)
    public Payload rsocket_64() {
        return Flux.range(0, Payloads.IN_FLIGHT)
                .flatMap(i -> client.requestResponse(DefaultPayload.create(Payloads.BYTES)), Payloads.IN_FLIGHT)
                .blockLast();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Payload rsocket_rtt() {
        return client.requestResponse(DefaultPayload.create(Payloads.BYTES)).block();
    }
}
