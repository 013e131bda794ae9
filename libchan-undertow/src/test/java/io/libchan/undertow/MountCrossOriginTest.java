package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Libchan;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cross-site WebSocket hijacking, and its kin on the tunnel and the calls, refused by the servlet
 * mount: a request carrying the user's credentials and the {@code Origin} of a foreign page gets 403
 * before any session starts; the deployment's own origin, an origin the configuration allows
 * ({@value LibchanServletExtension#ALLOWED_ORIGINS_PARAM}), and requests without {@code Origin} (no
 * browser) get in.
 */
@Timeout(60)
class MountCrossOriginTest {
    private static final String EVIL = "http://evil.example";
    private static final String FRIEND = "https://app.example.com";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SecuredWar war;

    @BeforeAll
    static void start() throws Exception {
        war = SecuredWar.start(Map.of(LibchanServletExtension.ALLOWED_ORIGINS_PARAM, FRIEND));
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
    }

    /** The status of a WebSocket handshake as alice from a page of {@code origin}: 101 when it opened. */
    private static int handshake(String origin) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().subprotocols("libchan.json").header("Authorization", basic("alice"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            WebSocket ws = b.buildAsync(URI.create("ws://127.0.0.1:" + war.port() + "/app/libchan"),
                    new WebSocket.Listener() { }).join();
            ws.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException) {
                return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
            }
            throw e;
        }
    }

    private static HttpResponse<String> call(String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + war.port() + "/app/libchan/call"))
                .header("Authorization", basic("alice")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cmd\":\"whoami\"}"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWebSocketHandshakeFromAForeignPageIsRefusedWith403() {
        assertEquals(403, handshake(EVIL));
        assertEquals(403, handshake("null"));
        assertEquals(403, handshake("http://127.0.0.1:" + (war.port() + 1)));
    }

    @Test
    void aWebSocketHandshakeFromTheOwnOriginAnAllowedOneOrNoBrowserOpens() {
        assertEquals(101, handshake(war.origin()));
        assertEquals(101, handshake(FRIEND));
        assertEquals(101, handshake(null));
    }

    @Test
    void aCallFromAForeignPageIsRefusedWith403AndAnErrorBody() throws Exception {
        HttpResponse<String> refused = call(EVIL);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("\"type\":\"forbidden\"") && refused.body().contains(EVIL), refused.body());
        assertEquals(200, call(war.origin()).statusCode());
        assertEquals(200, call(FRIEND).statusCode());
        assertEquals(200, call(null).statusCode());
    }

    @Test
    void aTunnelFromAForeignPageIsRefusedWith403() throws Exception {
        Curl.assumeInstalled();
        String session = "http://127.0.0.1:" + war.port() + "/app/libchan/session";
        Curl.Result refused = Curl.run("--http2-prior-knowledge", "-u", "alice:secret", "-H", "Origin: " + EVIL,
                "-H", "Content-Type: application/vnd.libchan.spdy3", "--data-binary", "", session);
        assertEquals(403, refused.status(), refused.body());
        Curl.Result ownOverHttp2 = Curl.run("--http2-prior-knowledge", "-u", "alice:secret", "-H", "Origin: " + war.origin(),
                "-H", "Content-Type: application/json", "--data-binary", "{\"cmd\":\"whoami\"}",
                "http://127.0.0.1:" + war.port() + "/app/libchan/call");
        assertEquals(200, ownOverHttp2.status(), "HTTP/2's :authority is the request's host: " + ownOverHttp2.body());
        assertEquals("2", ownOverHttp2.version());
        try (Transport javaClient = Libchan.connect(war.uri("h2c", "alice", null), Settings.defaults())) {
            assertTrue(javaClient.isOpen(), "the Java client sends no Origin and gets in");
        } catch (RuntimeException e) {
            fail("the Java client was refused: " + e);
        }
    }
}
