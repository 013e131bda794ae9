package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code libchan.rest.websocket.max-sessions}: at the limit a WebSocket handshake gets 503 with
 * {@code Retry-After}, never a 101 followed by a close, counted in {@code libchan.connections.refused};
 * once a session ends its seat is taken again.
 */
@Timeout(60)
class WebSocketLimitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final InMemoryMetricReader READER = InMemoryMetricReader.create();
    static OpenTelemetrySdk sdk;
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        sdk = OpenTelemetrySdk.builder().setMeterProvider(SdkMeterProvider.builder().registerMetricReader(READER).build()).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        Map<String, String> config = new HashMap<>(TestConfig.PROPERTIES);
        config.put("libchan.rest.websocket.max-sessions", "1");
        app = FallbackServer.start(config, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    /** {@code libchan.connections.refused} of the WebSocket listener, reason {@code max_connections}. */
    private static long refused() {
        String listener = "ws://127.0.0.1:" + app.port();
        return READER.collectAllMetrics().stream().filter(m -> m.getName().equals("libchan.connections.refused"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> "ws".equals(p.getAttributes().get(AttributeKey.stringKey("libchan.transport")))
                        && listener.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.listener")))
                        && "max_connections".equals(p.getAttributes().get(AttributeKey.stringKey("libchan.reason"))))
                .mapToLong(LongPointData::getValue).sum();
    }

    /** alice's handshake: the open WebSocket, or the response that refused it. */
    private static Object handshake() {
        try {
            return Http.client().newWebSocketBuilder().subprotocols("libchan.json")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("alice:" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/app/api/libchan/ws"), new WebSocket.Listener() { })
                    .join();
        } catch (CompletionException e) {
            return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse();
        }
    }

    private static Object echo(Transport session) {
        Pipe reply = Pipe.create();
        io.libchan.Sender channel = session.newSendChannel("echo");
        channel.send(Map.of("n", 1, "ret", reply.sender()));
        Object answer = reply.receiver().receive(Object.class, WAIT);
        channel.close();
        return answer;
    }

    @Test
    void atTheLimitAHandshakeGets503NotA101() throws Exception {
        Transport first = Libchan.connect(app.webSocket("alice", "codec=json"), Settings.defaults());
        echo(first);

        HttpResponse<?> refused = assertInstanceOf(HttpResponse.class, handshake(), "a handshake past the limit");
        assertEquals(503, refused.statusCode());
        assertEquals(Optional.of("1"), refused.headers().firstValue("Retry-After"));
        assertEquals(1, refused(), "counted in the metrics");

        first.close();
        first.closeFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        // the server gives the seat back when it has seen the close, a moment after the client: try until then
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object next = handshake();
        while (next instanceof HttpResponse<?> r && r.statusCode() == 503 && System.nanoTime() < deadline) {
            next = handshake();
        }
        assertTrue(next instanceof WebSocket, "a seat again once the session ended: " + next);
        ((WebSocket) next).abort();
    }
}
