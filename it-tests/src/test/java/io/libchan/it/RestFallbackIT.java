package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libchan-rest-fallback inside the deployed WAR: the application's channel endpoints below its own
 * JAX-RS path ({@code /libchan-demo/api/libchan}), next to its ordinary resource {@code /api/hello},
 * behind web.xml's security constraint, with the users deploy/wildfly/configure.sh put in WildFly's
 * file-based Elytron realm: {@code libchan} (role libchan) gets in, {@code guest} (no role) gets 403,
 * nobody gets 401, on the HTTP calls and on the WebSocket handshake alike.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestFallbackIT {
    static final String USER = System.getenv().getOrDefault("LIBCHAN_DEMO_USER", "libchan");
    static final String PASSWORD = System.getenv().getOrDefault("LIBCHAN_DEMO_PASSWORD", "libchan-demo-1!");
    static final String GUEST = System.getenv().getOrDefault("LIBCHAN_GUEST_USER", "guest");
    static final String GUEST_PASSWORD = System.getenv().getOrDefault("LIBCHAN_GUEST_PASSWORD", "libchan-guest-1!");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    private static HttpRequest.Builder post(String endpoint, String json, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(DemoWar.page("api/libchan/call/" + endpoint)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private static HttpResponse<String> call(String endpoint, String json, String user, String password) throws Exception {
        return HTTP.send(post(endpoint, json, user, password).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The WAR's libchan-rest-fallback WebSocket, as {@code user}, in the given framing. */
    private static URI webSocket(String user, String password, String query) {
        String who = user == null ? "" : user + ":" + password + "@";
        return URI.create("ws://" + who + "127.0.0.1:" + WildFlyPorts.port("it.http.port") + "/libchan-demo/api/libchan/ws"
                + (query == null ? "" : "?" + query));
    }

    @Test
    void aCallIsAnsweredAsTheAuthenticatedUserBesideTheApplicationsOwnResource() throws Exception {
        HttpResponse<String> reply = call("greet", "{\"text\":\"over http\"}", USER, PASSWORD);
        assertEquals(200, reply.statusCode(), reply.body());
        Map<?, ?> answer = JSON.readValue(reply.body(), Map.class);
        assertEquals("over http", answer.get("text"));
        assertEquals("greet", answer.get("endpoint"));
        assertEquals(USER, answer.get("principal"), "the caller principal reaches the endpoint");
        assertEquals("rest", answer.get("source"));

        HttpResponse<String> hello = HTTP.send(HttpRequest.newBuilder(DemoWar.page("api/hello?name=neighbour")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, hello.statusCode());
        assertEquals("hello, neighbour", hello.body(), "the JAX-RS resource under the same path keeps answering");
    }

    @Test
    void callsWithoutCredentialsOrWithoutTheRoleAreRefused() throws Exception {
        HttpResponse<String> anonymous = call("greet", "{\"text\":\"x\"}", null, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), anonymous.headers().toString());
        assertEquals(401, call("greet", "{\"text\":\"x\"}", USER, "not the password").statusCode());
        HttpResponse<String> noRole = call("greet", "{\"text\":\"x\"}", GUEST, GUEST_PASSWORD);
        assertEquals(403, noRole.statusCode(), noRole.body());
    }

    @Test
    void eventsOfANestedChannelArriveAsServerSentEvents() throws Exception {
        HttpRequest request = post("news", "{\"topic\":\"it\",\"count\":4}", USER, PASSWORD)
                .header("Accept", "text/event-stream").build();
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        List<String> data = r.body().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim()).collect(Collectors.toList());
        List<Long> events = new ArrayList<>();
        for (String d : data) {
            Map<?, ?> e = JSON.readValue(d, Map.class);
            if (Integer.valueOf(1).equals(e.get("channel")) && e.get("message") instanceof Map<?, ?> m) {
                assertEquals(USER, m.get("principal"), d);
                events.add(((Number) m.get("event")).longValue());
            }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), events, data.toString());
    }

    @Test
    void aJavaClientUsesTheWebSocketInBothFramingsAsTheAuthenticatedUser() {
        for (String query : new String[] {"codec=json", null}) {
            try (Transport session = Libchan.connect(webSocket(USER, PASSWORD, query), Settings.defaults())) {
                Map<?, ?> greeting = ask(session, "greet", Map.of("text", "over ws"));
                assertEquals("over ws", greeting.get("text"), String.valueOf(query));
                assertEquals(USER, greeting.get("principal"), String.valueOf(query));
                Map<?, ?> news = ask(session, "news", Map.of("topic", "ws", "count", 2));
                Receiver events = (Receiver) news.get("events");
                for (int i = 0; i < 2; i++) {
                    assertEquals((long) i, ((Number) events.receive(Map.class, WAIT).get("event")).longValue());
                }
            }
        }
    }

    @Test
    void theWebSocketHandshakeIsAuthenticatedAndAuthorised() {
        ConnectionLostException anonymous = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(webSocket(null, null, "codec=json"), Settings.defaults()));
        assertTrue(anonymous.getMessage().contains("HTTP 401"), anonymous.getMessage());
        ConnectionLostException noRole = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(webSocket(GUEST, GUEST_PASSWORD, "codec=json"), Settings.defaults()));
        assertTrue(noRole.getMessage().contains("HTTP 403"), noRole.getMessage());
    }

    /** Cross-site WebSocket hijacking on WildFly: alice's credentials and a foreign page's Origin get 403 on both doors. */
    @Test
    void aForeignPagesWebSocketHandshakeIsRefusedOnBothDoors() {
        String own = "http://127.0.0.1:" + WildFlyPorts.port("it.http.port");
        assertEquals(403, handshake("api/libchan/ws", "http://evil.example"));
        assertEquals(101, handshake("api/libchan/ws", own));
        assertEquals(403, handshake("libchan", "http://evil.example"));
        assertEquals(101, handshake("libchan", own));
    }

    @Test
    void aForeignPagesCallIsRefused() throws Exception {
        HttpResponse<String> refused = HTTP.send(post("greet", "{\"text\":\"x\"}", USER, PASSWORD)
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode(), refused.body());
    }

    /** The status of a {@code libchan.json} WebSocket handshake as the demo user from a page of {@code origin}: 101 when it opened. */
    private static int handshake(String path, String origin) {
        URI uri = URI.create("ws://127.0.0.1:" + WildFlyPorts.port("it.http.port") + "/libchan-demo/" + path);
        try {
            HTTP.newWebSocketBuilder().subprotocols("libchan.json").header("Origin", origin)
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .buildAsync(uri, new java.net.http.WebSocket.Listener() { }).join().abort();
            return 101;
        } catch (java.util.concurrent.CompletionException e) {
            return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    private static Map<?, ?> ask(Transport session, String endpoint, Map<String, Object> fields) {
        Sender channel = session.newSendChannel(endpoint);
        try {
            Pipe reply = Pipe.create();
            Map<String, Object> m = new java.util.LinkedHashMap<>(fields);
            m.put("ret", reply.sender());
            channel.send(m);
            return reply.receiver().receive(Map.class, WAIT);
        } finally {
            channel.close();
        }
    }
}
