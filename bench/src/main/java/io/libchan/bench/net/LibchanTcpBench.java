package io.libchan.bench.net;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import io.libchan.bench.net.Messages.Cmd;
import io.libchan.bench.net.Messages.KeepRequest;
import java.time.Duration;
import java.util.Locale;
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
 * libchan request/reply over loopback TCP (SPDY/3 + msgpack), one client session to a
 * {@link LibchanTcpServer} in the same JVM. One op = one round trip of a 64-byte string.
 *
 * <ul>
 *   <li>{@code libchan_1} / {@code libchan_rtt}: a fresh {@link Pipe} per request, its sender sent as
 *       {@code ret} in {@code {cmd, ret}} on one long-lived top-level channel; the server replies on
 *       {@code ret} and closes it; the client blocks on the pipe's receive. {@code _rtt} samples
 *       single round trips (p50, p99);
 *   <li>{@code libchan_64new}: the same with 64 requests in flight (a sliding window over
 *       {@value Net#BATCH} requests), each reply taken with {@code receiveAsync};
 *   <li>{@code libchan_64keep}: 64 in flight on one long-lived reply channel: it was sent once with
 *       {@code keep: true}, later requests are {@code {cmd}} alone and every reply arrives on it
 *       (a direct-executor {@code subscribe} on the reply pipe releases the window).
 * </ul>
 * {@code server} picks how the server receives: {@code push} ({@code subscribe} with a direct
 * executor, on the connection's reader thread) or {@code loop} (a blocking receive loop on a
 * platform thread). {@code metrics} turns the OpenTelemetry metrics off (a no-op OpenTelemetry) or on
 * (an SDK collecting every second, {@link BenchMetrics}), on both sides, and with it tracing (the
 * client's calls run in a span, so each channel it opens carries {@code traceparent}): what they cost
 * (issue 18).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LibchanTcpBench {

    /** The server and one client session with its long-lived request channel. */
    @State(Scope.Benchmark)
    public static class Session {
        @Param({"push", "loop"})
        public String server;

        @Param({"off", "on"})
        public String metrics;

        BenchMetrics telemetry;

        LibchanTcpServer echo;
        Transport client;
        Sender requests;

        @Setup(Level.Trial)
        public void start() {
            telemetry = new BenchMetrics(metrics);
            echo = LibchanTcpServer.listening(LibchanTcpServer.Mode.valueOf(server.toUpperCase(Locale.ROOT)), telemetry.settings());
            client = Libchan.connect(echo.uri(), telemetry.settings());
            requests = client.newSendChannel();
            Reply r = call(requests); // the server has its channel before the clock starts
            if (!Net.TEXT.equals(r.body())) {
                throw new IllegalStateException("bad echo: " + r);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            requests.close();
            client.close();
            echo.close();
            telemetry.close();
        }
    }

    /** One more top-level channel whose reply channel the server keeps. */
    @State(Scope.Benchmark)
    public static class Kept {
        Sender requests;
        Window window = new Window(Net.IN_FLIGHT);
        private AutoCloseable replies;

        @Setup(Level.Trial)
        public void start(Session s) throws InterruptedException {
            requests = s.client.newSendChannel();
            Pipe ret = Pipe.create();
            window.acquire();
            replies = ret.receiver().subscribe(Reply.class, Runnable::run, reply -> window.release());
            requests.send(new KeepRequest(Net.TEXT, ret.sender(), true));
            window.drain();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            requests.close();
            replies.close();
        }
    }

    static Reply call(Sender requests) {
        Pipe reply = Pipe.create();
        requests.send(new Request(Net.TEXT, reply.sender()));
        return reply.receiver().receive(Reply.class, Duration.ofSeconds(30));
    }

    /** {@link #call} inside the session's trace span when metrics (and tracing) are on. */
    static Reply tracedCall(Session s) {
        try (io.opentelemetry.context.Scope traced = s.telemetry.enter()) {
            return call(s.requests);
        }
    }

    @Benchmark
    public Reply libchan_1(Session s) {
        return tracedCall(s);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply libchan_rtt(Session s) {
        return tracedCall(s);
    }

    /** Window state of {@code libchan_64new}. */
    @State(Scope.Thread)
    public static class NewWindow {
        final Window window = new Window(Net.IN_FLIGHT);
    }

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void libchan_64new(Session s, NewWindow w) {
        try (io.opentelemetry.context.Scope traced = s.telemetry.enter()) {
            newWindow(s, w.window);
        }
    }

    private static void newWindow(Session s, Window window) {
        for (int i = 0; i < Net.BATCH; i++) {
            window.acquire();
            Pipe reply = Pipe.create();
            reply.receiver().receiveAsync(Reply.class).whenComplete((r, e) -> {
                if (e != null) {
                    window.fail(e);
                } else {
                    window.release();
                }
            });
            s.requests.send(new Request(Net.TEXT, reply.sender()));
        }
        window.drain();
    }

    private static final Cmd CMD = new Cmd(Net.TEXT);

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void libchan_64keep(Session s, Kept k) {
        try (io.opentelemetry.context.Scope traced = s.telemetry.enter()) {
            Window window = k.window;
            for (int i = 0; i < Net.BATCH; i++) {
                window.acquire();
                k.requests.send(CMD);
            }
            window.drain();
        }
    }
}
