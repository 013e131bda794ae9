package io.libchan.bench.net;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.bench.net.Messages.StreamRequest;
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
 * Byte-stream echo over loopback TCP, streaming: a client writer thread writes 32 KiB chunks
 * without pause, the server copies every byte back ({@code input().transferTo(output())}), and the
 * benchmark thread reads the echo back 32 KiB at a time. One op = 32 KiB echoed; MB/s = ops/s x
 * 32768 / 10^6.
 *
 * <ul>
 *   <li>{@code libchanBytes}: the local end of a {@link BytePipe} whose remote end travelled in
 *       a message {@code {bytes}} on a top-level channel of a libchan TCP session; the server's
 *       {@link LibchanTcpServer} echoes the {@link ByteStream} it received;
 *   <li>{@code socketBytes}: a plain {@link ServerSocket}, one echo thread per connection, a
 *       plain {@link Socket} client (TCP_NODELAY on both, as libchan sets it).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ByteStreamBench {

    /** A writer thread pumping 32 KiB chunks into {@code out} until stopped. */
    static final class Pump {
        private volatile boolean stopped;
        private final Thread thread;

        Pump(OutputStream out) {
            thread = LibchanTcpServer.daemon("bench-writer", () -> {
                byte[] chunk = new byte[Net.CHUNK];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                }
                try {
                    while (!stopped) {
                        out.write(chunk);
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed by stop()
                }
            });
        }

        void stop() {
            stopped = true;
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    static void readChunk(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n != buf.length) {
            throw new EOFException("echo ended after " + n + " bytes of a chunk");
        }
    }

    /** libchan: a BytePipe's remote end sent to the echo server. */
    @State(Scope.Benchmark)
    public static class LibchanStream {
        LibchanTcpServer echo;
        Transport client;
        Sender channel;
        BytePipe pipe;
        Pump pump;
        final byte[] buf = new byte[Net.CHUNK];

        @Setup(Level.Trial)
        public void start() {
            echo = new LibchanTcpServer(LibchanTcpServer.Mode.PUSH);
            client = Libchan.connect(echo.uri().toString());
            channel = client.newSendChannel();
            pipe = BytePipe.create();
            channel.send(new StreamRequest(pipe.remote()));
            pump = new Pump(pipe.local().output());
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pump.stop();
            client.abort();
            pipe.local().close();
            pump.join();
            echo.close();
        }
    }

    /** The plain socket echo. */
    @State(Scope.Benchmark)
    public static class SocketStream {
        ServerSocket server;
        Socket client;
        InputStream in;
        Pump pump;
        final byte[] buf = new byte[Net.CHUNK];

        @Setup(Level.Trial)
        public void start() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(Net.HOST, 0));
            LibchanTcpServer.daemon("socket-echo-accept", () -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        s.setTcpNoDelay(true);
                        LibchanTcpServer.daemon("socket-echo", () -> {
                            try (s; InputStream sin = s.getInputStream(); OutputStream sout = s.getOutputStream()) {
                                sin.transferTo(sout);
                            } catch (IOException e) {
                                // the client went away
                            }
                        });
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            client = new Socket();
            client.setTcpNoDelay(true);
            client.connect(server.getLocalSocketAddress());
            in = client.getInputStream();
            pump = new Pump(client.getOutputStream());
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            pump.stop();
            client.close();
            server.close();
            pump.join();
        }
    }

    @Benchmark
    public byte[] libchanBytes(LibchanStream s) throws IOException {
        readChunk(s.pipe.local().input(), s.buf);
        return s.buf;
    }

    @Benchmark
    public byte[] socketBytes(SocketStream s) throws IOException {
        readChunk(s.in, s.buf);
        return s.buf;
    }
}
