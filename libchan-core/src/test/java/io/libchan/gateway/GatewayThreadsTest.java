package io.libchan.gateway;

import static io.libchan.gateway.TunnelSockets.liveThreads;
import static io.libchan.gateway.TunnelSockets.readFour;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Open tunnels that carry nothing hold no thread: over tcp:// both ends of each tunnel (the
 * gateway's, and {@link Gateway#forward}'s) are spliced on the sessions' I/O threads, so 200 idle
 * tunnels do not cost 400 threads on each side (two copy threads per tunnel, as they did), and
 * they still carry bytes afterwards.
 */
@Timeout(120)
class GatewayThreadsTest {
    private static final int TUNNELS = 200;
    /** Threads that may come for other reasons: the pool that dials (a few at a time), timers. */
    private static final int SLACK = 40;

    private final Closing closing = new Closing();

    @AfterEach
    void tearDown() throws Exception {
        closing.close();
    }

    @Test
    void twoHundredIdleTunnelsHoldNoThreadEach() throws Exception {
        List<SocketChannel> accepted = idleTarget();
        Gateway gateway = Gateway.builder().target("idle", targetUri).build();
        closing.add(gateway);
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        closing.add(listener);
        gateway.serve(listener);
        Transport session = Libchan.connect(listener.uri().toString());
        closing.add(session);
        ByteStream first = Gateway.connect(session, "idle"); // the sessions, their I/O threads and pools are up
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() == 1);

        int before = liveThreads();
        List<ByteStream> tunnels = new ArrayList<>();
        tunnels.add(first);
        for (int i = 1; i < TUNNELS; i++) {
            tunnels.add(Gateway.connect(session, "idle"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() == TUNNELS);
        // the gateway counts a tunnel once its {ok} is sent and its splice set up: a moment after the target's accept
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.openTunnels() == TUNNELS);
        int added = liveThreads() - before;
        assertTrue(added <= SLACK, added + " more threads with " + TUNNELS + " idle tunnels open");

        // the last one still carries bytes both ways (targets accept in the order the gateway dials)
        ByteStream last = tunnels.get(TUNNELS - 1);
        SocketChannel far = accepted.get(TUNNELS - 1);
        last.output().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ping", readFour(far));
        far.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("pong", new String(last.input().readNBytes(4), StandardCharsets.US_ASCII));

        for (int i = 0; i < TUNNELS; i++) {
            tunnels.get(i).close();
            accepted.get(i).close();
        }
        gateway.whenNoTunnels().get(60, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredIdleForwardedTunnelsHoldNoThreadEitherSide() throws Exception {
        List<SocketChannel> accepted = idleTarget();
        Gateway gateway = Gateway.builder().target("idle", targetUri).build();
        closing.add(gateway);
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        closing.add(listener);
        gateway.serve(listener);
        Transport session = Libchan.connect(listener.uri().toString());
        closing.add(session);
        java.util.concurrent.ExecutorService copies = java.util.concurrent.Executors.newCachedThreadPool();
        closing.add(copies::shutdownNow);
        ServerSocketChannel local = ServerSocketChannel.open();
        closing.add(local);
        local.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        List<SocketChannel> clients = new ArrayList<>();
        closing.add(() -> clients.forEach(TunnelSockets::closeQuietly));
        List<java.util.concurrent.CompletableFuture<Void>> forwards = new ArrayList<>();

        int before = -1;
        for (int i = 0; i < TUNNELS; i++) {
            clients.add(SocketChannel.open(local.getLocalAddress()));
            forwards.add(Gateway.forward(session, "idle", local.accept(), copies, Duration.ofSeconds(30)));
            int opened = i + 1;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(60))
                    .until(() -> accepted.size() == opened);
            if (i == 0) {
                before = liveThreads(); // the sessions, their I/O threads and pools are up
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.openTunnels() == TUNNELS); // counted after the accept
        int added = liveThreads() - before;
        assertTrue(added <= SLACK, added + " more threads with " + TUNNELS + " idle forwarded tunnels open");

        SocketChannel near = clients.get(TUNNELS - 1);
        SocketChannel far = accepted.get(TUNNELS - 1);
        near.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ping", readFour(far));
        far.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("pong", readFour(near));

        for (int i = 0; i < TUNNELS; i++) {
            clients.get(i).close();
            accepted.get(i).close();
        }
        gateway.whenNoTunnels().get(60, TimeUnit.SECONDS);
        for (java.util.concurrent.CompletableFuture<Void> f : forwards) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private URI targetUri;

    /** A target that accepts and holds its connections, with one thread for all of them; they are in order of arrival. */
    private List<SocketChannel> idleTarget() throws IOException {
        ServerSocketChannel target = ServerSocketChannel.open();
        closing.add(target);
        target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        targetUri = URI.create("tcp://127.0.0.1:" + target.socket().getLocalPort());
        List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(target.accept()); // held open, read by nobody: no thread per connection here either
                }
            } catch (IOException e) {
                // closed at the end
            }
        }, "idle-target-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        closing.add(() -> accepted.forEach(TunnelSockets::closeQuietly));
        return accepted;
    }
}
