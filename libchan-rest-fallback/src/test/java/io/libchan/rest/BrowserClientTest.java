package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libchan.js in a real browser: Debian's headless Chromium, driven by playwright-core
 * ({@code src/test/browser/demo-check.mjs}), opens {@code libchan-demo.html} from the test application
 * (logged in as alice with BASIC auth), which connects over the {@code libchan.json} WebSocket, sends a
 * message and shows the reply, subscribes and shows the three events the server pushes on a nested
 * channel, then does the same over the HTTP fallback (POST, and Server-Sent Events read with fetch);
 * then, off screen, 200 requests on one channel and 300 pushed events, past the 64-message credit
 * window in both directions.
 * The screenshot goes to {@code target/browser/libchan-demo.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} (or {@code LIBCHAN_CHROMIUM}), node, and
 * {@code npm ci --prefix libchan-rest-fallback/src/test/browser}; skipped without them, failed without
 * them when {@code LIBCHAN_TOOLS_REQUIRED} is set.
 */
@Timeout(180)
class BrowserClientTest {
    private static final Path BROWSER = Path.of("src/test/browser");
    private static final Path SCREENSHOT = Path.of("target/browser/libchan-demo.png");
    private static void requireTools() {
        List<String> missing = new ArrayList<>();
        Path chromium = Path.of(System.getenv().getOrDefault("LIBCHAN_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            missing.add(chromium + " (apt-get install -y chromium)");
        }
        if (!Files.isDirectory(BROWSER.resolve("node_modules/playwright-core"))) {
            missing.add("playwright-core (npm ci --prefix libchan-rest-fallback/src/test/browser)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser test needs " + String.join(" and ", missing);
        if (System.getenv("LIBCHAN_TOOLS_REQUIRED") != null) {
            fail(message + "; LIBCHAN_TOOLS_REQUIRED is set");
        }
        Assumptions.abort(message + "; skipped");
    }

    @Test
    void theDemoPageTalksToTheApplicationOverWebSocketAndHttp() throws Exception {
        requireTools();
        try (FallbackServer app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class)) {
            runDemoCheck(app);
        }
    }

    private static void runDemoCheck(FallbackServer app) throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Path out = SCREENSHOT.resolveSibling("demo-check.out");
        Path err = SCREENSHOT.resolveSibling("demo-check.err");
        Process node = new ProcessBuilder("node", BROWSER.resolve("demo-check.mjs").toString(),
                app.http("/demo/libchan-demo.html").toString(), SCREENSHOT.toAbsolutePath().toString(),
                "alice", TestIdentities.PASSWORD)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(150, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("demo-check.mjs did not finish; its log: " + Files.readString(err));
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), "demo-check.mjs failed: " + log);
        assertTrue(Files.size(SCREENSHOT) > 0, "no screenshot");

        JsonNode dom = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
        assertEquals("connected", dom.get("status").asText(), log);
        assertEquals("hello from the browser (endpoint echo, principal alice; a Date and bytes 1,2,3 came back)",
                dom.get("reply").asText());
        assertEquals("ended", dom.get("eventsStatus").asText());
        assertEquals(List.of("event 0 on news", "event 1 on news", "event 2 on news"), texts(dom.get("events")));
        assertEquals("hello from the browser (over HTTP) (endpoint echo, principal alice)", dom.get("callReply").asText());
        assertEquals("ended", dom.get("sseStatus").asText());
        assertEquals(List.of("event 0 on news", "event 1 on news", "event 2 on news"), texts(dom.get("sseEvents")));
        assertEquals(200, dom.get("flow").get("answered").asInt(), "requests answered in order past the credit window");
        assertEquals(300, dom.get("flow").get("pushed").asInt(), "events received in order past the credit window");
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
