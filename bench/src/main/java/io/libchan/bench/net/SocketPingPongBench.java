package io.libchan.bench.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's floor for (a): one 64-byte request and its 64-byte reply on a plain
 * {@link Socket}, 1 in flight, a blocking echo thread on the server (TCP_NODELAY on both ends, as
 * libchan sets it). No framing, no encoding, no channel: what a round trip on loopback costs at
 * least, so (a) can say how close libchan gets to it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SocketPingPongBench {
    private ServerSocket server;
    private Socket client;
    private InputStream in;
    private OutputStream out;
    private final byte[] reply = new byte[Net.BYTES.length];

    @Setup
    public void start() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(Net.HOST, 0));
        LibchanTcpServer.daemon("socket-pingpong-accept", () -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    LibchanTcpServer.daemon("socket-pingpong", () -> echo(s));
                }
            } catch (IOException e) {
                // closed
            }
        });
        client = new Socket();
        client.setTcpNoDelay(true);
        client.connect(server.getLocalSocketAddress());
        in = client.getInputStream();
        out = client.getOutputStream();
    }

    private static void echo(Socket s) {
        byte[] request = new byte[Net.BYTES.length];
        try (s; InputStream sin = s.getInputStream(); OutputStream sout = s.getOutputStream()) {
            while (sin.readNBytes(request, 0, request.length) == request.length) {
                sout.write(request);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @TearDown
    public void stop() throws IOException {
        client.close();
        server.close();
    }

    private byte[] roundTrip() throws IOException {
        out.write(Net.BYTES);
        if (in.readNBytes(reply, 0, reply.length) != reply.length) {
            throw new EOFException("the echo ended");
        }
        return reply;
    }

    @Benchmark
    public byte[] socket_1() throws IOException {
        return roundTrip();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] socket_rtt() throws IOException {
        return roundTrip();
    }
}
