package io.libchan.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.rest.DemoCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo page's activity chart in a real browser: Debian's headless Chromium, driven by
 * playwright-core ({@code libchan-rest-fallback/src/test/browser/activity-check.mjs}), opens the
 * embedded demo's page while a client sends a message every 50 ms, and waits until the chart,
 * which reads {@code /metrics} once a second, shows a rate of messages above 0 and the open sessions.
 * The screenshot goes to {@code target/browser/activity.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} (or {@code LIBCHAN_CHROMIUM}), node, and
 * {@code npm ci --prefix libchan-rest-fallback/src/test/browser}; skipped without them, failed without
 * them when {@code LIBCHAN_TOOLS_REQUIRED} is set.
 */
@Timeout(180)
class EmbeddedChartBrowserTest {
    private static final Path BROWSER = Path.of("../../libchan-rest-fallback/src/test/browser");
    private static final Path SCREENSHOT = Path.of("target/browser/activity.png");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theChartShowsMessagesPerSecondWhileMessagesFlow() throws Exception {
        DemoCheck.requireTools(BROWSER);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedService service = EmbeddedService.start(0, 0);
             Transport session = Libchan.connect(service.raw().toString())) {
            Sender hello = session.newSendChannel("hello");
            ticks.scheduleAtFixedRate(() -> {
                Pipe reply = Pipe.create();
                hello.send(Map.of("name", "chart", "ret", reply.sender()));
                reply.receiver().receive(Object.class, WAIT);
            }, 0, 50, TimeUnit.MILLISECONDS);

            JsonNode shown = run(service);
            String rate = shown.get("rate").asText();
            assertTrue(rate.startsWith("messages/s (in + out): "), rate);
            assertTrue(Double.parseDouble(rate.substring(rate.lastIndexOf(' ') + 1)) > 0, rate);
            String sessions = shown.get("sessions").asText();
            assertTrue(sessions.startsWith("open sessions: "), sessions);
            assertTrue(Integer.parseInt(sessions.substring(sessions.lastIndexOf(' ') + 1)) >= 1, sessions + ": the client's session at least");
        } finally {
            ticks.shutdownNow();
        }
    }

    private static JsonNode run(EmbeddedService service) throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Path out = SCREENSHOT.resolveSibling("activity-check.out");
        Path err = SCREENSHOT.resolveSibling("activity-check.err");
        Process node = new ProcessBuilder("node", BROWSER.resolve("activity-check.mjs").toAbsolutePath().toString(),
                service.page().toString(), SCREENSHOT.toAbsolutePath().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(150, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("activity-check.mjs did not finish; its log: " + Files.readString(err));
        }
        assertEquals(0, node.exitValue(), "activity-check.mjs failed: " + Files.readString(err, StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
    }
}
