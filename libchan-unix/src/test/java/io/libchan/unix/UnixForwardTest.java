package io.libchan.unix;

import static io.libchan.gateway.TunnelSockets.liveThreads;
import static io.libchan.gateway.TunnelSockets.readFour;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.TunnelSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link UnixGateway#forward} joins each local connection to the target's socket the gateway
 * handed over on the gateway's I/O loops: an open tunnel holds no thread (it held two copy
 * threads), and the join still carries bytes both ways, half-closes and resets.
 */
@Timeout(120)
class UnixForwardTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TUNNELS = 200;
    /** Threads that may come for other reasons: the pool that opens tunnels (a few at a time), loops, timers. */
    private static final int SLACK = 40;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    /** The target's connections in order of arrival, each taken by the tunnel that opened it. */
    private final BlockingQueue<SocketChannel> arrivals = new LinkedBlockingQueue<>();
    private Gateway gateway;
    private Transport session;
    private ServerSocketChannel local;
    private ExecutorService copies;

    @BeforeEach
    void start() throws Exception {
        ServerSocketChannel target = ServerSocketChannel.open();
        closing.add(target);
        target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel s = target.accept(); // held open; the test reads and writes them itself
                    accepted.add(s);
                    arrivals.add(s);
                }
            } catch (IOException e) {
                // closed at the end
            }
        }, "forward-target-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        closing.add(() -> accepted.forEach(TunnelSockets::closeQuietly));
        gateway = Gateway.builder().target("t", URI.create("tcp://127.0.0.1:" + target.socket().getLocalPort())).build();
        closing.add(gateway);
        Path dir = Files.createTempDirectory("libchan-fw");
        Listener listener = Libchan.listen("unix://" + dir.resolve("gw.sock"));
        closing.add(listener);
        gateway.serve(listener);
        session = Libchan.connect(listener.uri().toString());
        closing.add(session);
        copies = Executors.newCachedThreadPool();
        closing.add(copies::shutdownNow);
        local = ServerSocketChannel.open();
        closing.add(local);
        local.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A forwarded tunnel: the local client's end, the target's accepted end and forward's future. */
    private record Tunnel(SocketChannel near, SocketChannel far, CompletableFuture<Void> done) {
    }

    private Tunnel open() throws IOException, InterruptedException {
        SocketChannel near = SocketChannel.open(local.getLocalAddress());
        closing.add(near);
        CompletableFuture<Void> done = UnixGateway.forward(session, "t", local.accept(), copies, WAIT);
        SocketChannel far = arrivals.poll(WAIT.toSeconds(), TimeUnit.SECONDS); // one at a time: this tunnel's
        assertNotNull(far, "the gateway never dialled the target");
        return new Tunnel(near, far, done);
    }

    @Test
    void twoHundredIdleTunnelsHoldNoThreadEach() throws Exception {
        List<Tunnel> tunnels = new ArrayList<>();
        tunnels.add(open());
        // a first tunnel carried bytes: the loops, the pools and the session's threads are all up
        pingPong(tunnels.get(0));
        int before = liveThreads();
        for (int i = 1; i < TUNNELS; i++) {
            tunnels.add(open());
        }
        for (Tunnel t : tunnels) {
            pingPong(t); // every tunnel is joined, the last one included
        }
        int added = liveThreads() - before;
        assertTrue(added <= SLACK, added + " more threads with " + TUNNELS + " idle forwarded tunnels open");

        for (Tunnel t : tunnels) {
            t.near().close();
            t.far().close();
        }
        for (Tunnel t : tunnels) {
            t.done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void bulkBothWaysAndHalfClosesPassThrough() throws Exception {
        Tunnel t = open();
        byte[] up = new byte[8 * 1024 * 1024 + 17];
        new Random(1).nextBytes(up);
        byte[] down = new byte[5 * 1024 * 1024 + 3];
        new Random(2).nextBytes(down);
        // both ways at once: the join must not lose or reorder a byte
        ExecutorService threads = Executors.newCachedThreadPool(); // one each: they block
        closing.add(threads::shutdownNow);
        CompletableFuture<byte[]> atTarget = CompletableFuture.supplyAsync(() -> readToEnd(t.far()), threads);
        CompletableFuture<byte[]> atClient = CompletableFuture.supplyAsync(() -> readToEnd(t.near()), threads);
        CompletableFuture<Void> sendUp = CompletableFuture.runAsync(() -> writeAndHalfClose(t.near(), up), threads);
        writeAndHalfClose(t.far(), down);
        sendUp.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(up, atTarget.get(WAIT.toSeconds(), TimeUnit.SECONDS)); // the client's FIN reached the target
        assertArrayEquals(down, atClient.get(WAIT.toSeconds(), TimeUnit.SECONDS)); // and the target's the client
        t.done().get(WAIT.toSeconds(), TimeUnit.SECONDS); // both directions ended: both sockets closed
    }

    @Test
    void aResetOnTheTargetClosesTheClientsConnection() throws Exception {
        Tunnel t = open();
        pingPong(t);
        t.far().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        t.far().close(); // a reset
        t.done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ByteBuffer b = ByteBuffer.allocate(1);
        int n;
        try {
            n = t.near().read(b);
        } catch (IOException e) {
            n = -1; // reset
        }
        assertEquals(-1, n);
    }

    private static void pingPong(Tunnel t) throws IOException {
        t.near().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ping", readFour(t.far()));
        t.far().write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("pong", readFour(t.near()));
    }

    private static void writeAndHalfClose(SocketChannel s, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                s.write(b);
            }
            s.shutdownOutput();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readToEnd(SocketChannel s) {
        try {
            return s.socket().getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
