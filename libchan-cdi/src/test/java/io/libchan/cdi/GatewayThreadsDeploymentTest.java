package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.gateway.GatewayClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where the deployment's gateway runs: in a container, on the container's managed thread factory
 * (its requests, the dialing of targets, the loops that watch targets' sockets); without one (Weld
 * SE, no JNDI), on the library's own daemon threads, which end with the deployment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayThreadsDeploymentTest {
    private static final String GATEWAY_THREAD = "libchan-gateway";
    private ServerSocket echo;
    private TestContainer app;

    @ApplicationScoped
    static class Desk {
        @ChannelEndpoint("quote")
        String quote() {
            return "42";
        }
    }

    @BeforeEach
    void startTarget() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream()); // one tunnel at a time is all these tests open
                    s.shutdownOutput();
                } catch (IOException e) {
                    if (echo.isClosed()) {
                        return;
                    }
                }
            }
        }, "echo-target");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        echo.close();
    }

    private Map<String, String> config() {
        return Map.of(
                "libchan.gateway.echo.target", "tcp://127.0.0.1:" + echo.getLocalPort(),
                "libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true",
                "libchan.server.raw.endpoints", "quote",
                "libchan.server.raw.targets", "echo");
    }

    /** One tunnel through the deployment's gateway, its echo read back. */
    private void tunnelOnce() throws IOException {
        try (Transport client = Libchan.connect(app.select(ChannelServers.class).uri("raw"), Settings.defaults())) {
            ByteStream tunnel = GatewayClient.over(client).connect("echo");
            tunnel.output().write("ping".getBytes(StandardCharsets.US_ASCII));
            tunnel.closeWrite();
            assertEquals("ping", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
            tunnel.close();
        }
    }

    private static Set<Thread> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(GATEWAY_THREAD))
                .collect(Collectors.toSet());
    }

    @Test
    void inAContainerTheGatewayRunsOnTheManagedThreadFactory() throws Exception {
        Set<Thread> managed = ConcurrentHashMap.newKeySet();
        ThreadFactory container = task -> {
            Thread t = new Thread(task, "managed-" + managed.size());
            t.setDaemon(true);
            managed.add(t);
            return t;
        };
        Set<Thread> before = gatewayThreads();
        app = FakeJndi.offering(container, () -> TestContainer.start(config(), Desk.class));
        tunnelOnce();

        Set<Thread> ours = gatewayThreads();
        ours.removeAll(before);
        assertFalse(ours.isEmpty(), "the gateway answered and dialed on no thread of its own");
        Set<String> unmanaged = ours.stream().filter(t -> !managed.contains(t)).map(Thread::getName).collect(Collectors.toSet());
        assertTrue(unmanaged.isEmpty(), "gateway threads not made by the container's factory: " + unmanaged);
    }

    @Test
    void withoutAContainerTheGatewayRunsOnItsOwnDaemonThreadsWhichEndWithTheDeployment() throws Exception {
        Set<Thread> before = gatewayThreads();
        app = TestContainer.start(config(), Desk.class);
        tunnelOnce();

        Set<Thread> ours = gatewayThreads();
        ours.removeAll(before);
        assertFalse(ours.isEmpty(), "the gateway answered and dialed on no thread of its own");
        assertTrue(ours.stream().allMatch(Thread::isDaemon), "the gateway's own threads keep no JVM alive");

        app.close();
        app = null;
        Await.until("the gateway's threads to end with the deployment", () -> ours.stream().noneMatch(Thread::isAlive));
    }
}
