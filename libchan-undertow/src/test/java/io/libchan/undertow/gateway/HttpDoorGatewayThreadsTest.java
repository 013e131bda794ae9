package io.libchan.undertow.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tunnels through a gateway served over WebSocket and HTTP/2 doors (sessions read by Undertow's
 * I/O threads) hold no thread each: 100 idle tunnels add no copy threads (they added two each),
 * the sockets are watched by the gateway's own loops (from the thread factory it was given), the
 * last one still carries bytes and half-closes both ways, and the end of the client's session
 * closes the target's sockets.
 */
@Timeout(120)
class HttpDoorGatewayThreadsTest {
    private static final int TUNNELS = 100;
    /** Threads that may come for other reasons: the pool that dials (a few at a time), Undertow's workers, timers. */
    private static final int SLACK = 40;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://127.0.0.1:0/libchan", "h2c://127.0.0.1:0"})
    void hundredIdleTunnelsHoldNoThreadEach(String door) throws Exception {
        IdleTarget target = new IdleTarget();
        closing.add(target);
        java.util.Set<Thread> made = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Gateway gateway = Gateway.builder().target("idle", target.uri()).threads(task -> {
            Thread t = new Thread(task);
            t.setDaemon(true);
            made.add(t);
            return t;
        }).build();
        closing.add(gateway);
        Listener listener = Libchan.listen(URI.create(door), Settings.defaults());
        closing.add(listener);
        gateway.serve(listener);
        Transport session = Libchan.connect(listener.uri(), Settings.defaults());
        closing.add(session);
        List<ByteStream> tunnels = new ArrayList<>();
        tunnels.add(Gateway.connect(session, "idle")); // the sessions, their I/O threads and pools are up
        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() == 1);

        int before = liveThreads();
        for (int i = 1; i < TUNNELS; i++) {
            tunnels.add(Gateway.connect(session, "idle"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> target.accepted().size() == TUNNELS);
        // the gateway counts a tunnel once its {ok} is sent and its splice set up: a moment after the target's accept
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.openTunnels() == TUNNELS);
        int added = liveThreads() - before;
        assertTrue(added <= SLACK, added + " more threads with " + TUNNELS + " idle tunnels open over " + door);
        // the loops watching the targets' sockets are the gateway's, from the factory it was given
        assertTrue(made.stream().anyMatch(t -> t.getName().startsWith("libchan-gateway-io-") && t.isAlive()),
                "no gateway loop among " + made);

        // the last one carries bytes both ways, and each way's FIN (targets accept in the order the gateway dials)
        ByteStream last = tunnels.get(TUNNELS - 1);
        SocketChannel far = target.accepted().get(TUNNELS - 1);
        last.output().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ping", IdleTarget.read(far, 4));
        last.closeWrite();
        assertEquals(-1, far.read(ByteBuffer.allocate(1)), "the client's FIN reaches the target");
        far.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
        far.shutdownOutput();
        assertEquals("pong", new String(last.input().readAllBytes(), StandardCharsets.US_ASCII));

        // the session's end closes every target socket still open (a socket left open blocks here until the timeout)
        session.close();
        for (int i = 0; i < TUNNELS - 1; i++) {
            IdleTarget.awaitEnd(target.accepted().get(i));
        }
        gateway.whenNoTunnels().get(60, TimeUnit.SECONDS);
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
