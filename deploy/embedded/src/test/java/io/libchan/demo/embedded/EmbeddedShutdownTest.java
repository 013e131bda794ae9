package io.libchan.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.example.echo.OpenClientSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the embedded service while clients are mid-conversation over the raw server and over the
 * HTTP transports (through the bridge) ends their sessions cleanly and at once.
 */
@Timeout(60)
class EmbeddedShutdownTest {

    @Test
    void stoppingEndsOpenSessionsOnEveryTransportCleanly() throws Exception {
        EmbeddedService service = EmbeddedService.start(0, 0);
        try (OpenClientSession raw = OpenClientSession.open(service.raw().toString());
             OpenClientSession ws = OpenClientSession.openWithoutByteStream(service.http("ws").toString());
             OpenClientSession h2c = OpenClientSession.openWithoutByteStream(service.http("h2c").toString())) {
            long start = System.nanoTime();
            service.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stopping took " + took); // under the 10 s drain timeout
            raw.assertEndedCleanly();
            ws.assertEndedCleanly();
            h2c.assertEndedCleanly();
        }
    }
}
