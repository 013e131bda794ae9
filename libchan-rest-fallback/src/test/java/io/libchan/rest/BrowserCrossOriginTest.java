package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cross-site WebSocket hijacking in the real browser (Debian's headless Chromium, through
 * {@code src/test/browser/cross-origin-check.mjs}): alice logs in to the application's own demo page,
 * whose WebSocket connects; then a page served by another origin (a second loopback port) tries the
 * application's WebSockets, the fallback's {@code /app/api/libchan/ws} and the servlet mount's
 * {@code /app/mount}, with the credentials the browser holds. Refused by default; opened once the
 * configuration allows that origin, which shows the browser did send alice's credentials and that the
 * refusal is the origin check's (Chromium reports it as a 403, not the 401 of missing credentials).
 *
 * <p>Needs Chromium and playwright-core as {@link BrowserClientTest} does; skipped without them, failed
 * without them when {@code LIBCHAN_TOOLS_REQUIRED} is set.
 */
@Timeout(180)
class BrowserCrossOriginTest {
    private static final Path BROWSER = Path.of("src/test/browser");

    @Test
    void aForeignPagesWebSocketsAreRefusedWhileTheOwnPageConnects() throws Exception {
        DemoCheck.requireTools(BROWSER);
        try (ForeignSite site = ForeignSite.start();
             FallbackServer app = FallbackServer.startWithMount(TestConfig.PROPERTIES, Shop.class)) {
            JsonNode seen = run(app, site);
            assertEquals("connected", seen.get("sameOrigin").asText());
            assertEquals("refused", seen.get("foreign").get("fallback").asText());
            assertEquals("refused", seen.get("foreign").get("mount").asText());
            String console = seen.get("foreignConsole").toString();
            assertTrue(console.contains("/app/api/libchan/ws' failed: Error during WebSocket handshake: Unexpected response code: 403"), console);
            assertTrue(console.contains("/app/mount' failed: Error during WebSocket handshake: Unexpected response code: 403"), console);
        }
    }

    @Test
    void aForeignPageTheConfigurationAllowsConnectsWithTheBrowsersCredentials() throws Exception {
        DemoCheck.requireTools(BROWSER);
        try (ForeignSite site = ForeignSite.start()) {
            Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
            config.put(LibchanRest.ALLOWED_ORIGINS, site.origin());
            config.put("libchan.mount.allowed-origins", site.origin());
            try (FallbackServer app = FallbackServer.startWithMount(config, Shop.class)) {
                JsonNode seen = run(app, site);
                assertEquals("open", seen.get("foreign").get("fallback").asText());
                assertEquals("open", seen.get("foreign").get("mount").asText());
            }
        }
    }

    private static JsonNode run(FallbackServer app, ForeignSite site) throws Exception {
        site.page(app.port());
        Path dir = Files.createDirectories(Path.of("target/browser"));
        Path out = dir.resolve("cross-origin-check.out");
        Path err = dir.resolve("cross-origin-check.err");
        Process node = new ProcessBuilder("node", BROWSER.resolve("cross-origin-check.mjs").toAbsolutePath().toString(),
                app.http("/demo/libchan-demo.html").toString(), site.origin() + "/foreign.html", "alice", TestIdentities.PASSWORD)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!node.waitFor(150, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("cross-origin-check.mjs did not finish; its log: " + Files.readString(err));
        }
        assertEquals(0, node.exitValue(), "cross-origin-check.mjs failed: " + Files.readString(err));
        return new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Another site: a page on a second loopback port whose script tries the application's WebSockets. */
    static final class ForeignSite implements AutoCloseable {
        private final HttpServer server;
        private volatile byte[] page = new byte[0];

        private ForeignSite(HttpServer server) {
            this.server = server;
        }

        static ForeignSite start() throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ForeignSite site = new ForeignSite(server);
            server.createContext("/foreign.html", exchange -> {
                byte[] body = site.page;
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return site;
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** The page, aimed at the application on {@code appPort}. */
        void page(int appPort) {
            String app = "ws://127.0.0.1:" + appPort + "/app";
            page = ("<!doctype html><meta charset=\"utf-8\"><title>another site</title><pre id=\"result\">trying</pre>\n"
                    + "<script>\n"
                    + "const attempt = (url) => new Promise((resolve) => {\n"
                    + "  const ws = new WebSocket(url, 'libchan.json');\n"
                    + "  ws.onopen = () => { ws.close(); resolve('open'); };\n"
                    + "  ws.onerror = () => resolve('refused');\n"
                    + "});\n"
                    + "window.crossOrigin = Promise.all([attempt('" + app + "/api/libchan/ws'), attempt('" + app + "/mount')])\n"
                    + "  .then(([fallback, mount]) => ({ fallback, mount }));\n"
                    + "window.crossOrigin.then((r) => { document.getElementById('result').textContent = JSON.stringify(r); });\n"
                    + "</script>\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
