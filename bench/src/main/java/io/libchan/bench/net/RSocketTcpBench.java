package io.libchan.bench.net;

import io.netty.buffer.ByteBuf;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
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
import reactor.core.publisher.Mono;

/**
 * rsocket-java request-response over loopback TCP (rsocket-transport-netty
 * {@code TcpServerTransport}/{@code TcpClientTransport}), an echo server
 * ({@code SocketAcceptor.forRequestResponse(Mono::just)}), {@code PayloadDecoder.ZERO_COPY} on both
 * sides (rsocket's fast setting; the client releases each reply), 64-byte payloads.
 *
 * <ul>
 *   <li>{@code rsocketTcp_1} / {@code rsocketTcp_rtt}: {@code requestResponse(...).block()}, one in flight;
 *   <li>{@code rsocketTcp_64}: 64 outstanding requests (sliding window, subscribe callbacks).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RSocketTcpBench {
    private CloseableChannel server;
    private RSocket client;
    private final Window window = new Window(Net.IN_FLIGHT);

    @Setup(Level.Trial)
    public void start() {
        server = RSocketServer.create(SocketAcceptor.forRequestResponse(Mono::just))
                .payloadDecoder(PayloadDecoder.ZERO_COPY)
                .bind(TcpServerTransport.create(Net.HOST, 0))
                .block();
        client = RSocketConnector.create()
                .payloadDecoder(PayloadDecoder.ZERO_COPY)
                .connect(TcpClientTransport.create(Net.HOST, server.address().getPort()))
                .block();
        if (rsocketTcp_1() != Net.BYTES.length) {
            throw new IllegalStateException("bad echo");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.dispose();
        server.dispose();
    }

    private int call() {
        Payload reply = client.requestResponse(DefaultPayload.create(Net.BYTES)).block();
        try {
            ByteBuf data = reply.data();
            return data.readableBytes();
        } finally {
            reply.release();
        }
    }

    @Benchmark
    public int rsocketTcp_1() {
        return call();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int rsocketTcp_rtt() {
        return call();
    }

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void rsocketTcp_64() {
        for (int i = 0; i < Net.BATCH; i++) {
            window.acquire();
            client.requestResponse(DefaultPayload.create(Net.BYTES)).subscribe(reply -> {
                reply.release();
                window.release();
            }, window::fail);
        }
        window.drain();
    }
}
