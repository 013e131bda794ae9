package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.cdi.EndpointForbiddenException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code @RolesAllowed("auditor")} on the endpoint {@code audit}, reached through every door of an
 * application that has both the REST fallback and libchan-undertow's servlet mount (served through
 * {@code ChannelServers.serve(name, listener)}): alice (auditor) is let in and carol (no auditor) refused
 * with {@link EndpointForbiddenException}, on the fallback's JSON call, event stream and WebSocket, and on
 * the mount's HTTP/2 tunnel, WebSocket (both framings) and call.
 */
@Timeout(60)
class RolesOnEveryDoorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FORBIDDEN = EndpointForbiddenException.class.getName();
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        app = FallbackServer.startWithMount(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** What {@code audit} answers a session: its reply, or the type of its error reply. */
    private static String audit(URI uri) {
        try (Transport session = Libchan.connect(uri, Settings.defaults())) {
            Pipe reply = Pipe.create();
            Map<String, Object> message = new HashMap<>();
            message.put("ret", reply.sender());
            Sender channel = session.newSendChannel("audit");
            channel.send(message);
            Object answer = reply.receiver().receive(Object.class, WAIT);
            channel.close();
            return ErrorReply.asError(answer).map(e -> e.type()).orElse(String.valueOf(answer));
        }
    }

    private static String call(String path, String user, String accept) throws Exception {
        HttpRequest.Builder b = Http.request(app.http(path), user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (accept != null) {
            b.header("Accept", accept);
        }
        HttpResponse<String> r = Http.send(b.build());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void theFallbacksJsonCallCarriesTheRoles() throws Exception {
        assertEquals("\"audited by alice\"\n", call("/api/libchan/call/audit", "alice", null));
        assertTrue(call("/api/libchan/call/audit", "carol", null).contains(FORBIDDEN));
    }

    @Test
    void theFallbacksEventStreamCarriesTheRoles() throws Exception {
        assertTrue(call("/api/libchan/call/audit", "alice", "text/event-stream").contains("audited by alice"));
        assertTrue(call("/api/libchan/call/audit", "carol", "text/event-stream").contains(FORBIDDEN));
    }

    @Test
    void theFallbacksWebSocketCarriesTheRoles() {
        assertEquals("audited by alice", audit(app.webSocket("alice", null)));
        assertEquals(FORBIDDEN, audit(app.webSocket("carol", "codec=json")));
    }

    @Test
    void theMountsHttp2TunnelCarriesTheRoles() {
        assertEquals("audited by alice", audit(app.mount("h2c", "alice", null)));
        assertEquals(FORBIDDEN, audit(app.mount("h2c", "carol", null)));
    }

    @Test
    void theMountsWebSocketCarriesTheRolesInBothFramings() {
        assertEquals("audited by alice", audit(app.mount("ws", "alice", null)));
        assertEquals("audited by alice", audit(app.mount("ws", "alice", "codec=json")));
        assertEquals(FORBIDDEN, audit(app.mount("ws", "carol", null)));
        assertEquals(FORBIDDEN, audit(app.mount("ws", "carol", "codec=json")));
    }

    @Test
    void theMountsCallCarriesTheRoles() throws Exception {
        assertEquals("\"audited by alice\"\n", call("/mount/call/audit", "alice", null));
        assertTrue(call("/mount/call/audit", "carol", null).contains(FORBIDDEN));
    }
}
