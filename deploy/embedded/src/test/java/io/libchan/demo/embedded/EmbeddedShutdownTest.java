package io.libchan.demo.embedded;

import io.libchan.example.echo.OpenClientSession;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the embedded service while clients are mid-conversation over the raw server and over the
 * HTTP transports (through the bridge) ends their sessions cleanly and at once. The drain timeouts
 * are set far beyond the test's own timeout, so a stop that waited one out fails the test instead of
 * being timed against a bound.
 */
@Timeout(60)
class EmbeddedShutdownTest {
    /** System properties override the service's configuration (it reads them when it starts). */
    private static final Map<String, String> NEVER_DRAINED = Map.of(
            "libchan.server.raw.listen", "tcp://127.0.0.1:0?drainTimeout=10m",
            "libchan.server.web.drain-timeout", "10m");

    @Test
    void stoppingEndsOpenSessionsOnEveryTransportCleanly() throws Exception {
        EmbeddedService service = startNeverDrained();
        try (OpenClientSession raw = OpenClientSession.open(service.raw().toString());
             OpenClientSession ws = OpenClientSession.openWithoutByteStream(service.http("ws").toString());
             OpenClientSession h2c = OpenClientSession.openWithoutByteStream(service.http("h2c").toString())) {
            service.close(); // returns at once: nothing waits for a drain timeout
            raw.assertEndedCleanly();
            ws.assertEndedCleanly();
            h2c.assertEndedCleanly();
        }
    }

    private static EmbeddedService startNeverDrained() {
        NEVER_DRAINED.forEach(System::setProperty);
        try {
            return EmbeddedService.start(0, 0);
        } finally {
            NEVER_DRAINED.keySet().forEach(System::clearProperty);
        }
    }
}
