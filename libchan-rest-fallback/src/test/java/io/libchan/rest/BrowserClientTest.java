package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void theDemoPageTalksToTheApplicationOverWebSocketAndHttp() throws Exception {
        DemoCheck.requireTools(BROWSER);
        try (FallbackServer app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class)) {
            JsonNode dom = DemoCheck.run(BROWSER, app.http("/demo/libchan-demo.html"), SCREENSHOT, "alice", TestIdentities.PASSWORD);
            assertEquals("hello from the browser (endpoint echo, principal alice; a Date and bytes 1,2,3 came back)",
                    dom.get("reply").asText());
            assertEquals("ended", dom.get("eventsStatus").asText());
            assertEquals(List.of("event 0 on news", "event 1 on news", "event 2 on news"), DemoCheck.texts(dom.get("events")));
            assertEquals("hello from the browser (over HTTP) (endpoint echo, principal alice)", dom.get("callReply").asText());
            assertEquals("ended", dom.get("sseStatus").asText());
            assertEquals(List.of("event 0 on news", "event 1 on news", "event 2 on news"), DemoCheck.texts(dom.get("sseEvents")));
            assertEquals(200, dom.get("flow").get("answered").asInt(), "requests answered in order past the credit window");
            assertEquals(300, dom.get("flow").get("pushed").asInt(), "events received in order past the credit window");
        }
    }
}
