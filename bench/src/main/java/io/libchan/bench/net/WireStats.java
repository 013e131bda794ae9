package io.libchan.bench.net;

import io.libchan.BytePipe;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import io.libchan.bench.net.Messages.Cmd;
import io.libchan.bench.net.Messages.KeepRequest;
import io.libchan.bench.net.Messages.StreamRequest;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;


import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A diagnostic, not a benchmark: counts what libchan puts on the wire per round trip (frames by
 * type, and flushes, each of which is one {@code write} system call on a plain socket) on both
 * sides of a loopback TCP session, for the workloads of {@link LibchanTcpBench} and
 * {@link ByteStreamBench}. The sessions are built as {@code TcpTransportProvider} builds them, with
 * a {@link BlockingSocketWire} subclass that counts.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.libchan.bench.net.WireStats [round trips]
 * </pre>
 */
public final class WireStats {
    private static final String[] TYPES = {"DATA", "SYN_STREAM", "SYN_REPLY", "RST_STREAM", "SETTINGS", "5",
        "PING", "GOAWAY", "HEADERS", "WINDOW_UPDATE", "10"};

    private WireStats() {
    }

    /** A BlockingSocketWire that counts frames by type, DATA frames with FIN, bytes and flushes. */
    static final class CountingWire extends BlockingSocketWire {
        final AtomicLongArray frames = new AtomicLongArray(TYPES.length);
        final AtomicLong fins = new AtomicLong();
        final AtomicLong flushes = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        CountingWire(Socket socket) throws IOException {
            super(socket, "tcp://" + socket.getRemoteSocketAddress());
        }

        @Override
        public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
            if ((head[0] & 0x80) != 0) {
                int type = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
                frames.incrementAndGet(Math.min(type, TYPES.length - 1));
            } else {
                frames.incrementAndGet(0);
                if ((head[4] & 1) != 0) {
                    fins.incrementAndGet();
                }
            }
            bytes.addAndGet(head.length + (payload == null ? 0 : len));
            super.writeFrame(head, payload, off, len, fds);
        }

        @Override
        public void flush() throws IOException {
            flushes.incrementAndGet();
            super.flush();
        }

        long[] snapshot() {
            long[] s = new long[TYPES.length + 3];
            for (int i = 0; i < TYPES.length; i++) {
                s[i] = frames.get(i);
            }
            s[TYPES.length] = fins.get();
            s[TYPES.length + 1] = flushes.get();
            s[TYPES.length + 2] = bytes.get();
            return s;
        }
    }

    private static volatile CountingWire serverWire;
    private static volatile CountingWire clientWire;

    private static SpdySession session(Socket socket, boolean server) throws IOException {
        socket.setTcpNoDelay(true);
        CountingWire wire = new CountingWire(socket);
        if (server) {
            serverWire = wire;
        } else {
            clientWire = wire;
        }
        SpdySession session = new SpdySession(wire, server, Settings.defaults(), SessionThreads.executor());
        InputStream in = socket.getInputStream();
        Thread t = SessionThreads.factory().newThread(() -> BlockingSocketWire.readLoop(in, session));
        session.start();
        t.start();
        return session;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(Net.HOST, 0));
        LibchanTcpServer echo = new LibchanTcpServer(LibchanTcpServer.Mode.PUSH, null);
        LibchanTcpServer.daemon("accept", () -> {
            try {
                echo.serveInBackground(session(ss.accept(), true));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Socket socket = new Socket();
        socket.connect(ss.getLocalSocketAddress());
        SpdySession client = session(socket, false);
        Sender requests = client.newSendChannel();
        LibchanTcpBench.call(requests);
        Thread.sleep(200);

        System.out.printf(Locale.ROOT, "frames and flushes per op (client -> server / server -> client), push server, %d ops each%n", n);
        measure("(a) new reply channel, 1 in flight", n, () -> LibchanTcpBench.call(requests));

        Window window = new Window(Net.IN_FLIGHT);
        measure("(b) new reply channel, 64 in flight", n, () -> {
            window.acquire();
            Pipe reply = Pipe.create();
            reply.receiver().receiveAsync(Reply.class).whenComplete((r, e) -> window.release());
            requests.send(new Request(Net.TEXT, reply.sender()));
        }, window::drain);

        Sender kept = client.newSendChannel();
        Pipe ret = Pipe.create();
        ret.receiver().subscribe(Reply.class, Runnable::run, r -> window.release());
        window.acquire();
        kept.send(new KeepRequest(Net.TEXT, ret.sender(), true));
        window.drain();
        Cmd cmd = new Cmd(Net.TEXT);
        measure("(b) kept reply channel, 64 in flight", n, () -> {
            window.acquire();
            kept.send(cmd);
        }, window::drain);

        BytePipe pipe = BytePipe.create();
        client.newSendChannel().send(new StreamRequest(pipe.remote()));
        ByteStreamBench.Pump pump = new ByteStreamBench.Pump(pipe.local().output());
        byte[] buf = new byte[Net.CHUNK];
        InputStream in = pipe.local().input();
        for (int i = 0; i < 200; i++) {
            ByteStreamBench.readChunk(in, buf);
        }
        measure("(c) byte stream, per 32 KiB chunk echoed", Math.max(1000, n / 10), () -> {
            try {
                ByteStreamBench.readChunk(in, buf);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        pump.stop();
        client.abort();
        pipe.local().close();
        ss.close();
        echo.close();
    }

    private static void measure(String label, int n, Runnable op) throws InterruptedException {
        measure(label, n, op, () -> { });
    }

    private static void measure(String label, int n, Runnable op, Runnable end)
            throws InterruptedException {
        for (int i = 0; i < n / 4; i++) {
            op.run(); // warm-up
        }
        end.run();
        Thread.sleep(100);
        long[] c0 = clientWire.snapshot();
        long[] s0 = serverWire.snapshot();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        end.run();
        long t1 = System.nanoTime();
        Thread.sleep(100); // trailing FINs and window updates
        long[] c1 = clientWire.snapshot();
        long[] s1 = serverWire.snapshot();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-42s %9.0f ops/s%n", label,
                n / ((t1 - t0) / 1e9)));
        for (int i = 0; i < TYPES.length; i++) {
            double c = (c1[i] - c0[i]) / (double) n;
            double s = (s1[i] - s0[i]) / (double) n;
            if (c > 0 || s > 0) {
                sb.append(String.format(Locale.ROOT, "    %-22s %6.2f / %6.2f%n", TYPES[i] + " frames", c, s));
            }
        }
        int f = TYPES.length;
        sb.append(String.format(Locale.ROOT, "    %-22s %6.2f / %6.2f%n", "  of which DATA+FIN",
                (c1[f] - c0[f]) / (double) n, (s1[f] - s0[f]) / (double) n));
        sb.append(String.format(Locale.ROOT, "    %-22s %6.2f / %6.2f%n", "flushes (write calls)",
                (c1[f + 1] - c0[f + 1]) / (double) n, (s1[f + 1] - s0[f + 1]) / (double) n));
        sb.append(String.format(Locale.ROOT, "    %-22s %6.0f / %6.0f%n", "bytes on the wire",
                (c1[f + 2] - c0[f + 2]) / (double) n, (s1[f + 2] - s0[f + 2]) / (double) n));
        System.out.print(sb);
    }
}
