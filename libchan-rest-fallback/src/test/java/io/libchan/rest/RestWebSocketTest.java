package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.ConnectionLostException;
import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.cdi.EndpointForbiddenException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebSocket at {@code {app-path}/libchan/ws} on Jakarta WebSocket (undertow-websockets-jsr, as in
 * WildFly): the {@code libchan.json} framing frame by frame as a browser speaks it (PROTOCOL.md section
 * 13.4), the Java client in that framing and in {@code libchan.spdy3}, all behind the application's
 * BASIC-auth constraint, with the handshake's principal and roles reaching the endpoints.
 */
@Timeout(60)
class RestWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** A browser's view: text frames in, text frames out, and how the connection closed. */
    static final class FrameRecorder implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next() throws InterruptedException {
            JsonNode f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return f;
        }
    }

    private static WebSocket browser(String user, FrameRecorder recorder) {
        return browser(user, recorder, "libchan.json");
    }

    private static WebSocket browser(String user, FrameRecorder recorder, String subprotocol) {
        return Http.client().newWebSocketBuilder()
                .subprotocols(subprotocol)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/app/api/libchan/ws"), recorder)
                .join();
    }

    @Test
    void aBrowserSpeakingLibchanJsonSubscribesAndGetsPushedEvents() throws Exception {
        FrameRecorder rec = new FrameRecorder();
        WebSocket ws = browser("alice", rec);
        assertEquals("libchan.json", ws.getSubprotocol());
        ws.sendText("{\"op\":\"open\",\"id\":1,\"name\":\"events\"}", true).join();
        ws.sendText("{\"op\":\"msg\",\"id\":1,\"msg\":{\"topic\":\"t\",\"ret\":{\"$sender\":3}}}", true).join();

        List<JsonNode> frames = new ArrayList<>();
        long receiver = -1;
        int events = 0;
        boolean replyClosed = false;
        boolean eventsClosed = false;
        while (!(replyClosed && eventsClosed)) {
            JsonNode f = rec.next();
            frames.add(f);
            String op = f.get("op").asText();
            long id = f.path("id").asLong();
            if (op.equals("msg") && id == 3) {
                receiver = f.get("msg").get("events").get("$receiver").asLong();
                assertEquals(0, receiver % 2, "the server creates even ids: " + f);
            } else if (op.equals("msg") && id == receiver) {
                assertEquals(events++, f.get("msg").get("event").asInt(), frames.toString());
            } else if (op.equals("close") && id == 3) {
                replyClosed = true;
            } else if (op.equals("close") && id == receiver) {
                eventsClosed = true;
            } else if (!op.equals("credit")) {
                throw new AssertionError("unexpected frame " + f + " after " + frames);
            }
        }
        assertEquals(3, events, frames.toString());
        ws.sendText("{\"op\":\"close\",\"id\":1}", true).join();
        ws.sendText("{\"op\":\"goaway\"}", true).join();
        assertEquals(1000, rec.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aProtocolErrorGetsAnErrorFrameAndTheConnectionClosed() throws Exception {
        FrameRecorder rec = new FrameRecorder();
        WebSocket ws = browser("alice", rec);
        ws.sendText("{\"op\":\"open\",\"id\":2}", true).join(); // an even id is the server's
        JsonNode f = rec.next();
        assertEquals("error", f.get("op").asText(), f.toString());
        assertEquals(1002, rec.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "a protocol error closes with 1002");
    }

    @Test
    void anUnknownOpGetsAnErrorFrameAndClose1002() throws Exception {
        FrameRecorder rec = new FrameRecorder();
        WebSocket ws = browser("alice", rec);
        ws.sendText("{\"op\":\"hello\"}", true).join();
        JsonNode f = rec.next();
        assertEquals("error", f.get("op").asText(), f.toString());
        assertEquals(1002, rec.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aBinaryMessageGetsAnErrorFrameAndClose1003() throws Exception {
        FrameRecorder rec = new FrameRecorder();
        WebSocket ws = browser("alice", rec);
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        JsonNode f = rec.next();
        assertEquals("error", f.get("op").asText(), f.toString());
        assertEquals(1003, rec.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void offeringOnlySubprotocolsWeDoNotSpeakIsRefusedWithClose1002() throws Exception {
        FrameRecorder rec = new FrameRecorder();
        browser("alice", rec, "libchan.jsn");
        assertEquals(1002, rec.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    private static Object ask(Transport session, String endpoint, Map<String, Object> message) {
        Pipe reply = Pipe.create();
        Map<String, Object> m = new java.util.HashMap<>(message);
        m.put("ret", reply.sender());
        io.libchan.Sender channel = session.newSendChannel(endpoint);
        try {
            channel.send(m);
            return reply.receiver().receive(Object.class, WAIT);
        } finally {
            channel.close();
        }
    }

    @Test
    void theJavaClientWorksInBothFramings() {
        for (String query : new String[] {"codec=json", null}) {
            try (Transport session = Libchan.connect(app.webSocket("alice", query), Settings.defaults())) {
                Map<?, ?> echoed = (Map<?, ?>) ask(session, "echo", Map.of("n", 5));
                assertEquals(5L, ((Number) echoed.get("n")).longValue(), query);
                assertEquals("alice", echoed.get("principal"), query);
                Map<?, ?> sub = (Map<?, ?>) ask(session, "events", Map.of("topic", "x"));
                Receiver events = (Receiver) sub.get("events");
                for (int i = 0; i < 3; i++) {
                    assertEquals((long) i, ((Number) events.receive(Map.class, WAIT).get("event")).longValue());
                }
            }
        }
    }

    @Test
    void rolesOfTheHandshakeReachRolesAllowed() {
        try (Transport alice = Libchan.connect(app.webSocket("alice", "codec=json"), Settings.defaults());
             Transport carol = Libchan.connect(app.webSocket("carol", "codec=json"), Settings.defaults())) {
            assertEquals("audited by alice", ask(alice, "audit", Map.of()));
            assertEquals(EndpointForbiddenException.class.getName(),
                    ErrorReply.asError(ask(carol, "audit", Map.of())).orElseThrow().type());
        }
    }

    @Test
    void theHandshakeIsAuthenticatedAndAuthorisedByTheApplicationsConstraint() {
        ConnectionLostException anonymous = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(app.webSocket(null, "codec=json"), Settings.defaults()));
        assertTrue(anonymous.getMessage().contains("HTTP 401"), anonymous.getMessage());
        ConnectionLostException noRole = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(app.webSocket("bob", "codec=json"), Settings.defaults()));
        assertTrue(noRole.getMessage().contains("HTTP 403"), noRole.getMessage());
    }
}
