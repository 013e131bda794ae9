package io.libchan.example;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.cdi.ChannelServers;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.echo.OpenClientSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the application while a client is mid-conversation ends its session cleanly and promptly,
 * on the configured raw server and on a listener the application handed to libchan-cdi. The drain
 * timeout is set far beyond the test's own timeout, so a stop that waited it out fails the test
 * instead of being timed against a bound.
 */
@Timeout(60)
class ShutdownTest {
    /** A drain timeout no test waits out: a stop that waited for it would trip @Timeout(60). */
    private static final String NEVER = "10m";

    @Test
    void stoppingEndsAnOpenClientSessionCleanlyWithoutWaitingOutTheDrainTimeout() throws Exception {
        ExampleServer server = ExampleServer.start(Map.of("libchan.server.raw.listen",
                "tcp://127.0.0.1:0?drainTimeout=" + NEVER));
        try (OpenClientSession client = OpenClientSession.open(server.uri())) {
            server.close(); // returns at once: nothing waits for the drain timeout
            client.assertEndedCleanly();
        }
        EchoClientChecks.noSessionIsServedAt(server.uri());
    }

    @Test
    void stoppingEndsASessionOfAHandedOverListenerCleanlyAndClosesTheListener() throws Exception {
        ExampleServer server = ExampleServer.start(Map.of("libchan.server.handed.default-endpoint", "echo",
                "libchan.server.handed.drain-timeout", NEVER));
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        server.bean(ChannelServers.class).serve("handed", listener);
        String uri = listener.uri().toString();
        try (OpenClientSession client = OpenClientSession.open(uri)) {
            server.close(); // returns at once: nothing waits for the drain timeout
            client.assertEndedCleanly();
        }
        EchoClientChecks.noSessionIsServedAt(uri);
    }
}
