package io.libchan.bench.net;

import io.libchan.BytePipe;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import io.libchan.bench.net.Messages.StreamRequest;
import io.libchan.bench.VirtualThreads;
import io.libchan.internal.session.SpdySession;


import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
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
 * A profiling experiment, not part of the comparison ({@link NetCompare} leaves it out unless it
 * is named): the same libchan TCP round trip and byte-stream echo as {@link LibchanTcpBench} and
 * {@link ByteStreamBench}, with both sessions built from libchan-core's internal classes
 * ({@code SpdySession}, {@code BlockingSocketWire}, {@code BlockingSocketWire.readLoop}) exactly as
 * {@code TcpTransportProvider} builds them, except for the two thread choices libchan-core makes
 * by itself in {@code SessionThreads}:
 *
 * <ul>
 *   <li>{@code reader}: the connection-reader thread, {@code platform} or {@code virtual};
 *   <li>{@code executor}: the session executor that runs {@code writeSoon} drains (SYN_REPLY,
 *       WINDOW_UPDATE, the FIN answering a peer's FIN), {@code sendAsync}, byte-stream copy loops and
 *       push delivery: a cached pool of {@code platform} or of {@code virtual} threads.
 * </ul>
 * {@code SessionThreads} means to use virtual threads for both on Java 21+, but its reflective
 * look-up fails there ({@code setAccessible} on {@code java.lang.ThreadBuilders$VirtualThreadBuilder}
 * throws {@code InaccessibleObjectException}), so libchan-core as shipped runs
 * {@code platform}/{@code platform} on every JDK; {@code virtual}/{@code virtual} is what it intends.
 * Run it with {@code bench/run-network.sh InternalsBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InternalsBench {

    @State(Scope.Benchmark)
    public static class Sessions {
        @Param({"platform", "virtual"})
        public String reader;
        @Param({"platform", "virtual"})
        public String executor;

        ServerSocket serverSocket;
        LibchanTcpServer echo;
        SpdySession client;
        Sender requests;
        ExecutorService pool;
        BytePipe pipe;
        ByteStreamBench.Pump pump;
        final byte[] buf = new byte[Net.CHUNK];

        @Setup(Level.Trial)
        public void start() throws IOException {
            pool = Executors.newCachedThreadPool(executor.equals("virtual")
                    ? VirtualThreads.factory("bench-session-exec") : platform("bench-session-exec"));
            serverSocket = new ServerSocket();
            serverSocket.bind(new InetSocketAddress(Net.HOST, 0));
            echo = new LibchanTcpServer(LibchanTcpServer.Mode.PUSH, null);
            LibchanTcpServer.daemon("internals-accept", () -> {
                try {
                    while (true) {
                        echo.serveInBackground(session(serverSocket.accept(), true));
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            Socket socket = new Socket();
            socket.connect(serverSocket.getLocalSocketAddress());
            client = session(socket, false);
            requests = client.newSendChannel();
            if (!Net.TEXT.equals(LibchanTcpBench.call(requests).body())) {
                throw new IllegalStateException("bad echo");
            }
        }

        /** What TcpTransportProvider and SocketSessions.start do, with our reader thread and executor. */
        private SpdySession session(Socket socket, boolean server) throws IOException {
            socket.setTcpNoDelay(true);
            SpdySession session = new SpdySession(new BlockingSocketWire(socket, "tcp://" + socket.getRemoteSocketAddress()),
                    server, Settings.defaults(), pool);
            InputStream in = socket.getInputStream();
            ThreadFactory readers = reader.equals("virtual") ? VirtualThreads.factory("bench-reader") : platform("bench-reader");
            Thread t = readers.newThread(() -> BlockingSocketWire.readLoop(in, session));
            session.start();
            t.start();
            return session;
        }

        private static ThreadFactory platform(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }

        void startBytes() {
            pipe = BytePipe.create();
            client.newSendChannel().send(new StreamRequest(pipe.remote()));
            pump = new ByteStreamBench.Pump(pipe.local().output());
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            if (pump != null) {
                pump.stop();
            }
            client.abort();
            if (pipe != null) {
                pipe.local().close();
                pump.join();
            }
            serverSocket.close();
            echo.close();
            pool.shutdownNow();
        }
    }

    /** The byte-stream echo of {@link ByteStreamBench#libchanBytes}, on these sessions. */
    @State(Scope.Benchmark)
    public static class Bytes {
        @Setup(Level.Trial)
        public void start(Sessions s) {
            s.startBytes();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Reply internal_rtt(Sessions s) {
        return LibchanTcpBench.call(s.requests);
    }

    /** Window state of {@code internal_64new}. */
    @State(Scope.Thread)
    public static class NewWindow {
        final Window window = new Window(Net.IN_FLIGHT);
    }

    @Benchmark
    @OperationsPerInvocation(Net.BATCH)
    public void internal_64new(Sessions s, NewWindow w) {
        Window window = w.window;
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

    @Benchmark
    public byte[] internal_bytes(Sessions s, Bytes b) throws IOException {
        ByteStreamBench.readChunk(s.pipe.local().input(), s.buf);
        return s.buf;
    }
}
