package io.libchan.bench.load;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.libchan.bench.net.GrpcBench;
import java.net.InetSocketAddress;

/**
 * The grpc-java peer of the load harness: the echo work of {@code libchan.jar echo}, on grpc-java's
 * defaults (Netty, plaintext HTTP/2, epoll where it loads, calls run on grpc's default executor, a
 * cached thread pool as the CLI's echo uses). Two methods, no protobuf (a byte-array marshaller):
 * {@code Unary} answers the request with itself (what our echo does with a message and its
 * {@code ret}); {@code Bidi} answers each message on the stream (what our echo does on a channel
 * whose {@code ret} is kept). The one setting changed: the largest inbound message, 16 MiB as
 * libchan's {@code maxMessageBytes} default (grpc's own is 4 MiB).
 *
 * <pre>java -Xmx256m -cp benchmarks.jar io.libchan.bench.load.GrpcEchoServer [HOST [PORT]]</pre>
 *
 * prints {@code listening HOST:PORT} first (port 0: a free one), then serves until killed.
 */
public final class GrpcEchoServer {
    static final String SERVICE = "libchan.load.Echo";
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    static final MethodDescriptor<byte[], byte[]> UNARY =
            GrpcBench.method(SERVICE, "Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> BIDI =
            GrpcBench.method(SERVICE, "Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);

    private GrpcEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
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
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(echo)
                .build()
                .start();
        System.out.println("listening " + host + ":" + server.getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        server.awaitTermination();
    }
}
