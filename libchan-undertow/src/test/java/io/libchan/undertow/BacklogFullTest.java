package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.undertow.internal.server.SessionQueue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the server's backlog of sessions the application has not accepted yet is full, every kind
 * of request below the prefix is answered 503 (PROTOCOL.md 13.2, 13.5.2, 13.6.4), and sessions
 * are served again once the application accepts.
 */
@Timeout(60)
class BacklogFullTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private LibchanServer server;
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
    private final List<Transport> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = LibchanServer.builder().scheme("h2c").endpoint(LibchanEndpoint.builder().backlog(1)
                .settings(Settings.builder().openTelemetry(otel).build()).build()).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(Transport::abort);
        server.close();
        otel.close();
    }

    /** {@code libchan.connections.refused} of {@code transport}, reason {@code backlog_full}. */
    private long refused(String transport) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("libchan.connections.refused"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> transport.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.transport")))
                        && "backlog_full".equals(p.getAttributes().get(AttributeKey.stringKey("libchan.reason"))))
                .mapToLong(LongPointData::getValue).sum();
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + "/libchan" + path);
    }

    /**
     * A session the application has not accepted: it fills the backlog of one. Its seat is taken
     * before the 101 is sent, so once the client is in, there is no room left.
     */
    private void fillTheBacklog() throws Exception {
        clients.add(Libchan.connect(uri("ws", ""), Settings.defaults()));
        Field field = LibchanEndpoint.class.getDeclaredField("sessions");
        field.setAccessible(true);
        SessionQueue queue = (SessionQueue) field.get(server.endpoint());
        assertFalse(queue.hasRoom(), "the session in has its seat by the time its client has the 101");
    }

    private CompletableFuture<WebSocket> handshake() {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("libchan.spdy3").buildAsync(uri("ws", ""), new WebSocket.Listener() { });
    }

    private static HttpResponse<?> refusal(CompletableFuture<WebSocket> handshake) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> handshake.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse();
    }

    @Test
    void aWebSocketHandshakeGets503AndWhenToTryAgain() throws Exception {
        fillTheBacklog();
        HttpResponse<?> refused = refusal(handshake());
        assertEquals(503, refused.statusCode());
        assertEquals(Optional.of("1"), refused.headers().firstValue("Retry-After"));
        assertEquals(1, refused("ws"), "counted in the metrics");
    }

    /**
     * Handshakes at once for a backlog of one: one gets its 101 and its session, every other one a
     * 503 before any 101 (none is let in and then closed for want of room).
     */
    @Test
    void ofHandshakesAtOnceOnlyThoseWithRoomGetA101() throws Exception {
        List<CompletableFuture<WebSocket>> handshakes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            handshakes.add(handshake());
        }
        int in = 0;
        for (CompletableFuture<WebSocket> h : handshakes) {
            try {
                WebSocket socket = h.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                in++;
                socket.abort();
            } catch (ExecutionException e) {
                HttpResponse<?> refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse();
                assertEquals(503, refused.statusCode());
                assertEquals(Optional.of("1"), refused.headers().firstValue("Retry-After"));
            }
        }
        assertEquals(1, in, "handshakes answered 101");
        server.endpoint().accept(WAIT).abort(); // the one let in was queued, not dropped
    }

    @Test
    void aTunnelGets503AndTheClientSaysSo() throws Exception {
        fillTheBacklog();
        ConnectionLostException e = assertThrows(ConnectionLostException.class,
                () -> clients.add(Libchan.connect(uri("h2c", ""), Settings.defaults())));
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(1, refused("h2c"), "counted in the metrics");
    }

    @Test
    void aTunnelRequestGets503AndWhenToTryAgain() throws Exception {
        fillTheBacklog();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(uri("http", "/session")).header("Content-Type", "application/vnd.libchan.spdy3")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(503, response.statusCode(), response.body());
        assertEquals(Optional.of("1"), response.headers().firstValue("Retry-After"));
    }

    @Test
    void aCallGets503WithAnErrorBody() throws Exception {
        fillTheBacklog();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(uri("http", "/call")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"cmd\":\"echo\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"unavailable\""), response.body());
        assertEquals(1, refused("http"), "counted in the metrics");
    }

    @Test
    void sessionsAreServedAgainOnceTheApplicationAccepts() throws Exception {
        fillTheBacklog();
        assertThrows(ConnectionLostException.class, () -> clients.add(Libchan.connect(uri("ws", ""), Settings.defaults())));
        server.endpoint().accept(WAIT).abort();
        Transport next = Libchan.connect(uri("ws", ""), Settings.defaults());
        clients.add(next);
        assertTrue(next.isOpen());
    }
}
