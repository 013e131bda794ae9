package io.libchan.it;

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
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR's browser page ({@code /libchan-demo/browser.html}) in Debian's headless Chromium, driven by
 * libchan-rest-fallback's {@code demo-check.mjs} (playwright-core): the browser logs in (BASIC, the
 * user configure.sh made), loads libchan.js from the WAR, talks to the deployed endpoints over the
 * {@code libchan.json} WebSocket below the application's JAX-RS path (a reply; three events pushed on
 * a nested channel), then over the HTTP fallback (POST; Server-Sent Events), then past the credit
 * window both ways. Screenshot: {@code it-tests/target/browser/war-browser.png}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Timeout(240)
class BrowserIT {
    private static final Path BROWSER = Path.of(System.getProperty("it.browser.dir", "../libchan-rest-fallback/src/test/browser"));
    private static final Path SCREENSHOT = Path.of("target/browser/war-browser.png");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

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
    void theWarsBrowserPageTalksToTheDeployedEndpointsAsTheLoggedInUser() throws Exception {
        requireTools();
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Path out = SCREENSHOT.resolveSibling("demo-check.out");
        Path err = SCREENSHOT.resolveSibling("demo-check.err");
        Process node = new ProcessBuilder("node", BROWSER.resolve("demo-check.mjs").toAbsolutePath().toString(),
                DemoWar.page("browser.html").toString(), SCREENSHOT.toAbsolutePath().toString(),
                RestFallbackIT.USER, RestFallbackIT.PASSWORD)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(180, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("demo-check.mjs did not finish; its log: " + Files.readString(err));
        }
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, node.exitValue(), "demo-check.mjs failed: " + log);
        assertTrue(Files.size(SCREENSHOT) > 0, "no screenshot");

        String user = RestFallbackIT.USER;
        JsonNode dom = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
        assertEquals("connected", dom.get("status").asText(), log);
        assertEquals("hello from the browser (endpoint greet, principal " + user + "; a Date and bytes 1,2,3 came back)",
                dom.get("reply").asText());
        assertEquals("ended", dom.get("eventsStatus").asText());
        List<String> events = List.of("event 0 on news for " + user, "event 1 on news for " + user, "event 2 on news for " + user);
        assertEquals(events, texts(dom.get("events")));
        assertEquals("hello from the browser (over HTTP) (endpoint greet, principal " + user + ")", dom.get("callReply").asText());
        assertEquals("ended", dom.get("sseStatus").asText());
        assertEquals(events, texts(dom.get("sseEvents")));
        assertEquals(200, dom.get("flow").get("answered").asInt(), "requests answered in order past the credit window");
        assertEquals(300, dom.get("flow").get("pushed").asInt(), "events received in order past the credit window");
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
