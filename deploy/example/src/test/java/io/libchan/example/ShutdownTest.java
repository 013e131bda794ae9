package io.libchan.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.echo.OpenClientSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping the application while a client is mid-conversation ends its session cleanly and promptly. */
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
}
