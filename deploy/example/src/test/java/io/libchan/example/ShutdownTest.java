package io.libchan.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.cdi.ChannelServers;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.echo.OpenClientSession;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the application while a client is mid-conversation ends its session cleanly and promptly,
 * on the configured raw server and on a listener the application handed to libchan-cdi.
 */
@Timeout(60)
class ShutdownTest {

    @Test
    void stoppingEndsAnOpenClientSessionCleanlyWithoutWaitingOutTheDrainTimeout() throws Exception {
        ExampleServer server = ExampleServer.start();
        try (OpenClientSession client = OpenClientSession.open(server.uri())) {
            long start = System.nanoTime();
            server.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "shutdown took " + took); // drainTimeout=2s
            client.assertEndedCleanly();
        }
        EchoClientChecks.noSessionIsServedAt(server.uri());
    }

    @Test
    void stoppingEndsASessionOfAHandedOverListenerCleanlyAndClosesTheListener() throws Exception {
        ExampleServer server = ExampleServer.start(Map.of("libchan.server.handed.default-endpoint", "echo",
                "libchan.server.handed.drain-timeout", "2s"));
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        server.bean(ChannelServers.class).serve("handed", listener);
        String uri = listener.uri().toString();
        try (OpenClientSession client = OpenClientSession.open(uri)) {
            long start = System.nanoTime();
            server.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "shutdown took " + took);
            client.assertEndedCleanly();
        }
        EchoClientChecks.noSessionIsServedAt(uri);
    }
}
