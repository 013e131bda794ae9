package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One message limit for both doors of an application, and libchan's answers where it can: the
 * servlet mount follows {@code libchan.rest.max-message-bytes} (it used to take any size up to
 * 16 MiB where the fallback answered 413) unless {@code libchan.mount.max-message-bytes} says
 * otherwise; under the limit 200, over it the protocol's 413 with a {@code too-large} error reply,
 * with a Content-Length and chunked alike.
 */
@Timeout(60)
class LimitsAgreeTest {
    private static final List<String> DOORS = List.of("/api/libchan/call/echo", "/mount/call/echo");

    /** A JSON object of exactly {@code size} bytes. */
    private static byte[] body(int size) {
        String head = "{\"pad\":\"";
        return (head + "x".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    private static HttpResponse<String> post(FallbackServer app, String path, byte[] body, boolean chunked) throws Exception {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)) // no Content-Length
                : HttpRequest.BodyPublishers.ofByteArray(body);
        // a connection of its own: a refused body is left unread, and the server closes the connection after it
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Http.TIMEOUT).build();
        return client.send(Http.request(app.http(path), "alice").header("Content-Type", "application/json").POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswered(int status, FallbackServer app, String path, int size, boolean... chunkedOrNot) throws Exception {
        for (boolean chunked : chunkedOrNot) {
            String what = path + ", " + size + " bytes" + (chunked ? ", chunked" : "");
            HttpResponse<String> r;
            try {
                r = post(app, path, body(size), chunked);
            } catch (java.io.IOException e) {
                throw new AssertionError(what + ": no answer", e);
            }
            assertEquals(status, r.statusCode(), what + ": " + r.body());
            if (status == 413) {
                assertTrue(r.body().contains("\"type\":\"too-large\""), what + ": " + r.body());
            }
        }
    }

    @Test
    void theFallbacksKeyLimitsTheMountToo() throws Exception {
        Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
        config.put("libchan.rest.max-message-bytes", "4096");
        try (FallbackServer app = FallbackServer.startWithMount(config, Shop.class)) {
            for (String door : DOORS) {
                assertAnswered(200, app, door, 3000, false, true);
                assertAnswered(413, app, door, 5000, false, true);
            }
        }
    }

    @Test
    void theMountsOwnKeyWinsForTheMount() throws Exception {
        Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
        config.put("libchan.rest.max-message-bytes", "4096");
        config.put("libchan.mount.max-message-bytes", "8192");
        try (FallbackServer app = FallbackServer.startWithMount(config, Shop.class)) {
            assertAnswered(413, app, "/api/libchan/call/echo", 6000, false, true);
            assertAnswered(200, app, "/mount/call/echo", 6000, false, true);
            assertAnswered(413, app, "/mount/call/echo", 9000, false, true);
        }
    }
}
