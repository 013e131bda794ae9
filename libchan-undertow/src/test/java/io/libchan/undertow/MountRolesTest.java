package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The roles of the authenticated request that opened a session reach the application as
 * {@link Transport#isPeerInRole}, over every protocol of the servlet mount (h2c, h2, ws in both framings,
 * POST), as the deployment's {@code isUserInRole} answers: alice holds "user" and not "admin".
 */
@Timeout(60)
class MountRolesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static SecuredWar war;

    @BeforeAll
    static void start() throws Exception {
        war = SecuredWar.start(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        war.close();
    }

    private static boolean held(Transport session, String role) {
        Pipe reply = Pipe.create();
        session.newSendChannel().send(Map.of("cmd", "hasRole", "role", role, "ret", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = reply.receiver().receive(Map.class, WAIT);
        return (Boolean) got.get("held");
    }

    private static void assertRoles(URI uri, Settings settings) {
        try (Transport session = Libchan.connect(uri, settings)) {
            assertEquals(true, held(session, "user"), uri.getScheme() + ": alice holds user");
            assertEquals(false, held(session, "admin"), uri.getScheme() + ": alice does not hold admin");
        }
    }

    @Test
    void theHttp2TunnelCarriesTheRequestsRoles() throws Exception {
        assertRoles(war.uri("h2c", "alice", null), Settings.defaults());
        assertRoles(war.uri("h2", "alice", null), TestCertificates.client());
    }

    @Test
    void theWebSocketCarriesTheHandshakesRolesInBothFramings() throws Exception {
        assertRoles(war.uri("ws", "alice", null), Settings.defaults());
        assertRoles(war.uri("ws", "alice", "codec=json"), Settings.defaults());
        assertRoles(war.uri("wss", "alice", null), TestCertificates.client());
    }

    @Test
    void aCallCarriesTheRequestsRoles() throws Exception {
        assertTrue(call("alice", "user").contains("\"held\":true"));
        assertTrue(call("alice", "admin").contains("\"held\":false"));
    }

    private static String call(String user, String role) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + war.port() + "/app/libchan/call"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cmd\":\"hasRole\",\"role\":\"" + role + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().trim();
    }
}
