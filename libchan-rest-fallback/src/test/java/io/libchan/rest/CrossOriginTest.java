package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cross-site WebSocket hijacking refused on both doors of an application: a WebSocket handshake (or a
 * call) carrying alice's credentials and the {@code Origin} of a foreign page gets 403, on the fallback's
 * {@code /api/libchan/ws} and {@code /api/libchan/call} and on the servlet mount's {@code /mount}; the
 * application's own origin, the origins its configuration allows ({@value LibchanRest#ALLOWED_ORIGINS},
 * {@code libchan.mount.allowed-origins}) and requests without {@code Origin} (no browser) get in.
 */
@Timeout(60)
class CrossOriginTest {
    private static final String EVIL = "http://evil.example";
    private static final String REST_FRIEND = "https://rest.example.com";
    private static final String MOUNT_FRIEND = "https://mount.example.com";
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
        config.put(LibchanRest.ALLOWED_ORIGINS, REST_FRIEND);
        config.put("libchan.mount.allowed-origins", MOUNT_FRIEND);
        app = FallbackServer.startWithMount(config, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** The status of alice's WebSocket handshake at {@code path} from a page of {@code origin} (null: none); 101 when it opened. */
    private static int handshake(String path, String origin) {
        WebSocket.Builder b = Http.client().newWebSocketBuilder().subprotocols("libchan.json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("alice:" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            b.buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/app" + path), new WebSocket.Listener() { })
                    .join().abort();
            return 101;
        } catch (CompletionException e) {
            WebSocketHandshakeException refused = (WebSocketHandshakeException) e.getCause();
            return refused.getResponse().statusCode();
        }
    }

    private static HttpResponse<String> call(String path, String origin) throws Exception {
        HttpRequest.Builder b = Http.request(app.http(path), "alice").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return Http.send(b.build());
    }

    @Test
    void theFallbacksWebSocketRefusesAForeignPage() {
        assertEquals(403, handshake("/api/libchan/ws", EVIL));
        assertEquals(403, handshake("/api/libchan/ws", MOUNT_FRIEND));
        assertEquals(101, handshake("/api/libchan/ws", app.origin()));
        assertEquals(101, handshake("/api/libchan/ws", REST_FRIEND));
        assertEquals(101, handshake("/api/libchan/ws", null));
    }

    @Test
    void theFallbacksCallsRefuseAForeignPage() throws Exception {
        for (String accept : new String[] {"application/json", "text/event-stream"}) {
            HttpResponse<String> refused = Http.send(Http.request(app.http("/api/libchan/call/echo"), "alice")
                    .header("Content-Type", "application/json").header("Accept", accept).header("Origin", EVIL)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertEquals(403, refused.statusCode(), accept);
            assertTrue(refused.body().contains("\"type\":\"forbidden\""), refused.body());
        }
        assertEquals(200, call("/api/libchan/call/echo", app.origin()).statusCode());
        assertEquals(200, call("/api/libchan/call/echo", REST_FRIEND).statusCode());
        assertEquals(200, call("/api/libchan/call/echo", null).statusCode());
    }

    @Test
    void theMountRefusesAForeignPageAndReadsItsAllowListFromMicroProfileConfig() throws Exception {
        assertEquals(403, handshake("/mount", EVIL));
        assertEquals(403, handshake("/mount", REST_FRIEND));
        assertEquals(101, handshake("/mount", app.origin()));
        assertEquals(101, handshake("/mount", MOUNT_FRIEND));
        assertEquals(101, handshake("/mount", null));
        assertEquals(403, call("/mount/call/echo", EVIL).statusCode());
        assertEquals(200, call("/mount/call/echo", MOUNT_FRIEND).statusCode());
    }

    @Test
    void aBadAllowListFailsTheStartNamingTheKey() {
        Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
        config.put(LibchanRest.ALLOWED_ORIGINS, "rest.example.com/app");
        Exception e = assertThrows(Exception.class, () -> FallbackServer.start(config, Shop.class).close());
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + " | ";
        }
        assertTrue(messages.contains(LibchanRest.ALLOWED_ORIGINS), messages);
    }
}
