package io.libchan.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.testing.LogCapture;
import io.libchan.Settings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A libchan.json session broken by its peer logs one WARNING line with the peer and the reason, as a SPDY one does. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonFailedSessionLogTest {

    /** A browser's WebSocket as the server sees it; what we send goes nowhere. */
    private static final class BrowserWire implements JsonWire {
        @Override
        public void send(String frame) {
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "ws://127.0.0.1:51234/libchan";
        }
    }

    @Test
    void aFrameThatIsNotJsonLogsOneWarningWithThePeersAddress() throws Exception {
        try (LogCapture log = new LogCapture()) {
            JsonSession server = JsonSession.server(new BrowserWire(), Settings.defaults(), Runnable::run);
            server.onFrame("this is not JSON");
            server.closeFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);

            // sessions of other tests in this JVM may end meanwhile: count the lines about this peer
            List<LogRecord> warnings = log.warnings().stream()
                    .filter(r -> r.getMessage() != null && r.getMessage().contains("127.0.0.1:51234")).collect(Collectors.toList());
            assertEquals(1, warnings.size(), "one line: " + LogCapture.text(log.warnings()));
            String line = warnings.get(0).getMessage();
            assertTrue(line.contains("127.0.0.1:51234"), "names the peer: " + line);
            assertTrue(line.contains("protocol error"), "says why: " + line);
            assertNull(warnings.get(0).getThrown(), "no stack trace at WARNING");
        }
    }
}
