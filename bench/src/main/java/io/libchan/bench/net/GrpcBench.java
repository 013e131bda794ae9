package io.libchan.bench.net;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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

/**
 * grpc-java (Netty transport, plaintext HTTP/2) echo over loopback TCP, without protoc: the
 * methods are hand-written {@link MethodDescriptor}s with a byte-array marshaller, the payload the
 * same 64 bytes. Server and client channel use {@code directExecutor()} (callbacks on the Netty
 * event loop, grpc's fastest setting, as libchan's push server runs on its reader thread).
 *
 * <ul>
 *   <li>{@code grpc_1} / {@code grpc_rtt}: blocking unary call, one in flight;
 *   <li>{@code grpc_64unary}: 64 concurrent async unary calls (sliding window);
 *   <li>{@code grpc_64stream}: one long-lived bidi stream with 64 messages outstanding; the server
 *       echoes each message on the stream.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class GrpcBench {
    static final String SERVICE = "libchan.bench.Echo";

    /** The whole message as one byte array; no protobuf. */
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> UNARY = method(SERVICE, "Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> BIDI = method(SERVICE, "Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);

    /** A method of {@code service} carrying whole byte arrays ({@link #BYTES}): no protoc needed. */
    public static MethodDescriptor<byte[], byte[]> method(String service, String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.newBuilder(BYTES, BYTES).setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name)).build();
    }

    private Server server;
    private ManagedChannel channel;
    private StreamObserver<byte[]> stream;
    private final Window streamWindow = new Window(Net.IN_FLIGHT);
    private final Window unaryWindow = new Window(Net.IN_FLIGHT);
    private StreamObserver<byte[]> unaryObserver;

    @Setup(Level.Trial)
    public void start() throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((byte[] req, StreamObserver<byte[]> out) -> {
                    out.onNext(req);
                    out.onCompleted();
                }))
                .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<byte[]>() {
                    @Override
                    public void onNext(byte[] value) {
                        out.onNext(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the client went away
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(Net.HOST, 0))
                .directExecutor()
                .addService(echo)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress(Net.HOST, server.getPort())
                .usePlaintext()
                .directExecutor()
                .build();
        stream = ClientCalls.asyncBidiStreamingCall(channel.newCall(BIDI, CallOptions.DEFAULT), releasing(streamWindow, false));
        unaryObserver = releasing(unaryWindow, true);
        if (grpc_1().length != Net.BYTES.length) {
            throw new IllegalStateException("bad echo");
        }
    }

    /** Releases a window slot per reply (stream) or per completed call (unary). */
    private static StreamObserver<byte[]> releasing(Window window, boolean perCall) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                if (!perCall) {
                    window.release();
                }
            }

            @Override
            public void onError(Throwable t) {
                window.fail(t);
            }

            @Override
            public void onCompleted() {
                if (perCall) {
                    window.release();
                }
            }
        };
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        stream.onCompleted();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public byte[] grpc_1() {
        return ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, Net.BYTES);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] grpc_rtt() {
        return ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, Net.BYTES);
    }

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void grpc_64unary() {
        for (int i = 0; i < Net.BATCH; i++) {
            unaryWindow.acquire();
            ClientCalls.asyncUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT), Net.BYTES, unaryObserver);
        }
        unaryWindow.drain();
    }

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void grpc_64stream() {
        for (int i = 0; i < Net.BATCH; i++) {
            streamWindow.acquire();
            stream.onNext(Net.BYTES);
        }
        streamWindow.drain();
    }
}
