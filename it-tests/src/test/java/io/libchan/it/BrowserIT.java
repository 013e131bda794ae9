package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.libchan.rest.DemoCheck;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
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

    @Test
    void theWarsBrowserPageTalksToTheDeployedEndpointsAsTheLoggedInUser() throws Exception {
        DemoCheck.requireTools(BROWSER);
        String user = RestFallbackIT.USER;
        JsonNode dom = DemoCheck.run(BROWSER, DemoWar.page("browser.html"), SCREENSHOT, user, RestFallbackIT.PASSWORD);
        assertEquals("hello from the browser (endpoint greet, principal " + user + "; a Date and bytes 1,2,3 came back)",
                dom.get("reply").asText());
        assertEquals("ended", dom.get("eventsStatus").asText());
        List<String> events = List.of("event 0 on news for " + user, "event 1 on news for " + user, "event 2 on news for " + user);
        assertEquals(events, DemoCheck.texts(dom.get("events")));
        assertEquals("hello from the browser (over HTTP) (endpoint greet, principal " + user + ")", dom.get("callReply").asText());
        assertEquals("ended", dom.get("sseStatus").asText());
        assertEquals(events, DemoCheck.texts(dom.get("sseEvents")));
        assertEquals(200, dom.get("flow").get("answered").asInt(), "requests answered in order past the credit window");
        assertEquals(300, dom.get("flow").get("pushed").asInt(), "events received in order past the credit window");
    }
}
