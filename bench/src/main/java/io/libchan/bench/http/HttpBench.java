package io.libchan.bench.http;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * libchan request/reply over loopback on each of its network transports, same code, same 64-byte
 * payload as {@code io.libchan.bench.net.GrpcBench}: {@code transport} = {@code tcp} (raw SPDY/3),
 * {@code h2c} (the HTTP/2 tunnel, Undertow on both ends) or {@code ws} (SPDY/3 in WebSocket).
 * One op = one round trip.
 *
 * <ul>
 *   <li>{@code call_1}: a fresh reply {@link Pipe} per request, one in flight (cf. grpc unary);
 *   <li>{@code call_64}: the same with 64 in flight (cf. grpc 64 concurrent unary calls);
 *   <li>{@code stream_64}: 64 in flight on one long-lived reply channel (cf. grpc bidi streaming).
 * </ul>
 * Run beside grpc-java in one JMH run, so both see the same machine:
 * <pre>
 * java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main 'io.libchan.bench.http.HttpBench' \
 *     'GrpcBench.grpc_(1|64unary|64stream)$' -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpBench {
    static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    static final int IN_FLIGHT = 64;
    static final int BATCH = 1024;

    static {
        if (TEXT.getBytes(StandardCharsets.US_ASCII).length != 64) {
            throw new AssertionError("payload must be 64 bytes");
        }
    }

    /** A kept-reply request. */
    record KeepRequest(String cmd, Sender ret, boolean keep) {
    }

    /** A request answered on the kept reply channel. */
    record Cmd(String cmd) {
    }

    @State(Scope.Benchmark)
    public static class Session {
        @Param({"tcp", "h2c", "ws"})
        public String transport;

        HttpEchoServer server;
        Transport client;
        Sender requests;

        @Setup(Level.Trial)
        public void start() {
            server = new HttpEchoServer(transport + "://127.0.0.1:0");
            client = Libchan.connect(server.uri().toString());
            requests = client.newSendChannel();
            if (!TEXT.equals(call(requests).body())) {
                throw new IllegalStateException("bad echo");
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            requests.close();
            client.close();
            server.close();
        }
    }

    /** A second channel whose reply channel the server keeps. */
    @State(Scope.Benchmark)
    public static class Kept {
        Sender requests;
        final InFlight window = new InFlight(IN_FLIGHT);
        private AutoCloseable replies;

        @Setup(Level.Trial)
        public void start(Session s) {
            requests = s.client.newSendChannel();
            Pipe ret = Pipe.create();
            window.acquire();
            replies = ret.receiver().subscribe(Reply.class, Runnable::run, reply -> window.release());
            requests.send(new KeepRequest(TEXT, ret.sender(), true));
            window.drain();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            requests.close();
            replies.close();
        }
    }

    @State(Scope.Thread)
    public static class NewWindow {
        final InFlight window = new InFlight(IN_FLIGHT);
    }

    static Reply call(Sender requests) {
        Pipe reply = Pipe.create();
        requests.send(new Request(TEXT, reply.sender()));
        return reply.receiver().receive(Reply.class, Duration.ofSeconds(30));
    }

    @Benchmark
    public Reply call_1(Session s) {
        return call(s.requests);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void call_64(Session s, NewWindow w) {
        InFlight window = w.window;
        for (int i = 0; i < BATCH; i++) {
            window.acquire();
            Pipe reply = Pipe.create();
            reply.receiver().receiveAsync(Reply.class).whenComplete((r, e) -> {
                if (e != null) {
                    window.fail(e);
                } else {
                    window.release();
                }
            });
            s.requests.send(new Request(TEXT, reply.sender()));
        }
        window.drain();
    }

    private static final Cmd CMD = new Cmd(TEXT);

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void stream_64(Session s, Kept k) {
        InFlight window = k.window;
        for (int i = 0; i < BATCH; i++) {
            window.acquire();
            k.requests.send(CMD);
        }
        window.drain();
    }
}
