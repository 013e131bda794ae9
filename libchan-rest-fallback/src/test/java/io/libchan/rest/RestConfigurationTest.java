package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the {@code libchan.rest.*} keys change what the application exposes, and how bad ones fail its start. */
@Timeout(60)
class RestConfigurationTest {

    private static Map<String, String> config(String... keysAndValues) {
        Map<String, String> m = new HashMap<>(TestConfig.PROPERTIES);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void disabledTheResourceAnswers404AndThereIsNoWebSocket() throws Exception {
        try (FallbackServer app = FallbackServer.start(config(LibchanRest.ENABLED, "false"), Shop.class)) {
            assertEquals(404, Http.post(app.http("/api/libchan/call/echo"), "alice", null, "{}").statusCode());
            ConnectionLostException noSocket = assertThrows(ConnectionLostException.class,
                    () -> Libchan.connect(app.webSocket("alice", "codec=json"), Settings.defaults()));
            assertTrue(noSocket.getMessage().contains("HTTP 404"), noSocket.getMessage());
            assertEquals(200, Http.send(Http.request(app.http("/api/hello"), null).GET().build()).statusCode());
        }
    }

    @Test
    void everyEndpointIsExposedWithoutAnAllowList() throws Exception {
        Map<String, String> all = config();
        all.remove(LibchanRest.ENDPOINTS);
        try (FallbackServer app = FallbackServer.start(all, Shop.class)) {
            HttpResponse<String> r = Http.post(app.http("/api/libchan/call/internal"), "alice", null, "{}");
            assertEquals("\"internal\"\n", r.body());
        }
    }

    @Test
    void anUnnamedCallWithoutADefaultEndpointIsToldTheKeyThatSetsOne() throws Exception {
        Map<String, String> none = config();
        none.remove(LibchanRest.DEFAULT_ENDPOINT);
        try (FallbackServer app = FallbackServer.start(none, Shop.class)) {
            HttpResponse<String> r = Http.post(app.http("/api/libchan/call"), "alice", null, "{}");
            assertEquals(200, r.statusCode(), r.body()); // an error reply is an ordinary reply (13.6.2)
            assertTrue(r.body().contains("UnknownEndpointException"), r.body());
            assertTrue(r.body().contains("libchan.rest.default-endpoint sets one"), r.body());
            assertFalse(r.body().contains("libchan.server."), r.body());
        }
    }

    @Test
    void theWebSocketPathCanBeConfigured() throws Exception {
        try (FallbackServer app = FallbackServer.start(config(LibchanRest.WEBSOCKET_PATH, "/api/libchan/socket"), Shop.class)) {
            URI uri = URI.create("ws://alice:secret@127.0.0.1:" + app.port() + "/app/api/libchan/socket?codec=json");
            try (Transport t = Libchan.connect(uri, Settings.defaults())) {
                Pipe reply = Pipe.create();
                t.newSendChannel("echo").send(Map.of("ret", reply.sender()));
                assertTrue(reply.receiver().receive(Map.class, Http.TIMEOUT).containsKey("principal"));
            }
        }
    }

    @Test
    void anAllowListNamingAnUnknownEndpointFailsTheStartNamingTheKey() {
        Exception e = assertThrows(Exception.class,
                () -> FallbackServer.start(config(LibchanRest.ENDPOINTS, "echo, nosuch"), Shop.class).close());
        assertTrue(messages(e).contains("libchan.rest.endpoints: no @ChannelEndpoint named [nosuch]"), messages(e));
    }

    @Test
    void aBadCallTimeoutFailsTheStartNamingTheKey() {
        Exception e = assertThrows(Exception.class,
                () -> FallbackServer.start(config(LibchanRest.CALL_TIMEOUT, "soon"), Shop.class).close());
        assertTrue(messages(e).contains("libchan.rest.call-timeout"), messages(e));
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }
}
