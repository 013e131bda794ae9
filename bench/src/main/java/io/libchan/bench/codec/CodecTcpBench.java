package io.libchan.bench.codec;

import io.libchan.ChannelClosedException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.internal.session.SpdySession;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request/reply over loopback TCP in a session agreed on each codec: one op is one round trip,
 * one in flight, a fresh reply channel per request (the network benchmarks' {@code libchan_1}).
 * The server takes requests with a direct-executor {@code subscribe} (on the connection's reader
 * thread) and replies with a blocking send, then closes the reply channel.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecTcpBench {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Param({"msgpack", "json", "cbor", "xml", "protobuf"})
    public String codec;

    private Shapes shapes;
    private Listener listener;
    private Transport client;
    private Sender requests;

    @Setup(Level.Trial)
    public void start() {
        shapes = Shapes.of(codec);
        listener = Libchan.listen("tcp://127.0.0.1:0");
        Thread accept = new Thread(this::serve, "codec-bench-server");
        accept.setDaemon(true);
        accept.start();
        client = Libchan.connect(listener.uri() + "?codec=" + codec);
        requests = client.newSendChannel();
        call(); // the server has its channel before the clock starts
        Optional<String> agreed = ((SpdySession) client).agreedCodec();
        if (!agreed.equals(Optional.of(codec))) {
            throw new IllegalStateException("the session speaks " + agreed + ", not " + codec);
        }
    }

    private void serve() {
        try {
            Transport session = listener.accept();
            while (true) {
                Receiver channel = session.waitReceiveChannel(Duration.ofDays(1));
                channel.subscribe(shapes.requestType(), Runnable::run, request -> {
                    Sender ret = shapes.retOf(request);
                    ret.send(shapes.reply());
                    ret.close();
                });
            }
        } catch (ChannelClosedException e) {
            // the benchmark is over
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        client.close();
        listener.close();
    }

    @Benchmark
    public Object roundTrip() {
        return call();
    }

    private Object call() {
        Pipe reply = Pipe.create();
        requests.send(shapes.request(reply.sender()));
        return reply.receiver().receive(shapes.replyType(), WAIT);
    }
}
