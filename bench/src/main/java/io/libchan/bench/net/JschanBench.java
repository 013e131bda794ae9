package io.libchan.bench.net;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.net.Messages.JsReply;
import io.libchan.bench.net.Messages.JsRequest;
import java.io.IOException;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A libchan client ({@code ?dialect=jschan}) against node's jschan echo server
 * ({@code interop/jschan/echo-server.js}, node 20, Nagle off), the same request shape as
 * {@link LibchanTcpBench#libchan_1}: {@code {seq, body, ret}} with a fresh reply pipe per request,
 * one in flight, on one long-lived top-level channel. jschan is slow, so the measurement is short.
 * Needs {@code node} and {@code bash interop/jschan/setup.sh}; fails its trial with a message otherwise.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class JschanBench {
    private JschanPeer peer;
    private Transport client;
    private Sender requests;
    private long seq;

    @Setup(Level.Trial)
    public void start() throws IOException {
        peer = new JschanPeer();
        client = Libchan.connect("tcp://" + Net.HOST + ":" + peer.port + "?dialect=jschan");
        requests = client.newSendChannel();
        JsReply r = jschan_1();
        if (!Net.TEXT.equals(r.body())) {
            throw new IllegalStateException("bad echo from jschan: " + r);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        try {
            requests.close();
            client.close();
        } finally {
            peer.close();
        }
    }

    @Benchmark
    public JsReply jschan_1() {
        Pipe reply = Pipe.create();
        requests.send(new JsRequest(++seq, Net.TEXT, reply.sender()));
        return reply.receiver().receive(JsReply.class, Duration.ofSeconds(30));
    }
}
