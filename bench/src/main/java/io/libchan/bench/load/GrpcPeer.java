package io.libchan.bench.load;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * grpc-java's Netty client against {@link GrpcEchoServer}, one {@link ManagedChannel} (one HTTP/2
 * connection) per libchan session, callbacks on the event loop ({@code directExecutor()}).
 *
 * <ul>
 *   <li>request/reply: a blocking unary call with the 64-byte body and a deadline;
 *   <li>(c): a unary call with the 15 MiB body on a channel of its own (inbound limit 16 MiB);
 *   <li>(b): a bidi stream per libchan channel; each message is {@code seq(8) t(8) body(64)}.
 * </ul>
 */
final class GrpcPeer implements Peer {
    private static final byte[] SMALL = BODY.getBytes(StandardCharsets.US_ASCII);

    @Override
    public String label() {
        return "grpc-java";
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .directExecutor()
                .maxInboundMessageSize(GrpcEchoServer.MAX_MESSAGE_BYTES)
                .build();
    }

    private static CallOptions deadline(Duration timeout) {
        return CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Caller caller(int port) {
        ManagedChannel channel = channel(port);
        return new Caller() {
            @Override
            public void call(Duration timeout) {
                byte[] reply = ClientCalls.blockingUnaryCall(channel, GrpcEchoServer.UNARY, deadline(timeout), SMALL);
                if (!Arrays.equals(reply, SMALL)) {
                    throw new IllegalStateException("wrong reply");
                }
            }

            @Override
            public void close() {
                channel.shutdownNow();
            }
        };
    }

    @Override
    public Outcome big(int port, byte[] body, Runnable gate, Duration timeout) {
        ManagedChannel channel = channel(port);
        try {
            // connect first, as the libchan client does before the gate
            channel.getState(true);
            ClientCalls.blockingUnaryCall(channel, GrpcEchoServer.UNARY, deadline(Duration.ofSeconds(10)), SMALL);
        } catch (RuntimeException e) {
            channel.shutdownNow();
            return new Outcome(Kind.FAILED, "connect: " + e);
        }
        try {
            gate.run();
            byte[] reply = ClientCalls.blockingUnaryCall(channel, GrpcEchoServer.UNARY, deadline(timeout), body);
            return reply.length == body.length ? new Outcome(Kind.ANSWERED, "") : new Outcome(Kind.FAILED, "wrong reply");
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE) {
                return new Outcome(Kind.LOST, "UNAVAILABLE");
            }
            if (code == Status.Code.DEADLINE_EXCEEDED) {
                return new Outcome(Kind.TIMEOUT, "DEADLINE_EXCEEDED");
            }
            return new Outcome(Kind.REFUSED, code.name());
        } catch (RuntimeException e) {
            return new Outcome(Kind.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            channel.shutdownNow();
        }
    }

    @Override
    public Session session(int port, int channels, Duration timeout, Replies replies) throws Exception {
        ManagedChannel channel = channel(port);
        List<StreamObserver<byte[]>> streams = new ArrayList<>();
        CountDownLatch firstReplies = new CountDownLatch(channels);
        AtomicBoolean established = new AtomicBoolean(); // failures before that are this call's, not the run's
        try {
            for (int i = 0; i < channels; i++) {
                StreamObserver<byte[]> stream = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcEchoServer.BIDI, CallOptions.DEFAULT),
                        new StreamObserver<byte[]>() {
                            @Override
                            public void onNext(byte[] value) {
                                ByteBuffer b = ByteBuffer.wrap(value);
                                long seq = b.getLong();
                                if (seq < 0) {
                                    firstReplies.countDown();
                                } else {
                                    replies.reply(seq, b.getLong());
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                if (established.get()) {
                                    replies.failed(t);
                                }
                            }

                            @Override
                            public void onCompleted() {
                                // the server ends a stream only after we do
                            }
                        });
                streams.add(stream);
                stream.onNext(message(-1, System.nanoTime()));
            }
            if (!firstReplies.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("first replies: " + (channels - firstReplies.getCount()) + " of " + channels);
            }
            established.set(true);
        } catch (Exception e) {
            channel.shutdownNow();
            throw e;
        }
        return new Session() {
            @Override
            public void send(int stream, long seq, long sentNanos) {
                streams.get(stream).onNext(message(seq, sentNanos));
            }

            @Override
            public void close() {
                channel.shutdownNow();
            }
        };
    }

    private static byte[] message(long seq, long sentNanos) {
        return ByteBuffer.allocate(16 + SMALL.length).putLong(seq).putLong(sentNanos).put(SMALL).array();
    }
}
