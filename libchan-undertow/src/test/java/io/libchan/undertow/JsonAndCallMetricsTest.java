package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A browser's sessions on the HTTP endpoint count in the {@code libchan.*} metrics under the
 * endpoint's address as SPDY sessions do: a {@code libchan.json} WebSocket (transport {@code ws})
 * and an HTTP/1.1 fallback call (transport {@code http}).
 */
@Timeout(60)
class JsonAndCallMetricsTest {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
    private Listener listener;
    private EchoApplication app;

    @BeforeEach
    void listen() {
        listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.builder().openTelemetry(otel).build());
        app = new EchoApplication(listener);
    }

    @AfterEach
    void stop() {
        app.close();
        otel.close();
    }

    private long sum(String name, Predicate<Attributes> where) {
        return reader.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> where.test(p.getAttributes())).mapToLong(LongPointData::getValue).sum();
    }

    private Predicate<Attributes> under(String transport, String listenerUri) {
        return a -> transport.equals(a.get(AttributeKey.stringKey("libchan.transport")))
                && listenerUri.equals(a.get(AttributeKey.stringKey("libchan.listener")));
    }

    @Test
    void aJsonWebSocketSessionCountsUnderTheEndpointsAddress() throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("libchan.json")
                .buildAsync(listener.uri(), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"op\":\"open\",\"id\":1}", true).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"op\":\"msg\",\"id\":1,\"msg\":{\"cmd\":\"echo\",\"n\":1,\"ret\":{\"$sender\":3}}}", true)
                    .get(10, TimeUnit.SECONDS);
            String reply = frames.poll(30, TimeUnit.SECONDS);
            assertTrue(reply != null && reply.contains("\"id\":3"), "the echo came back: " + reply);
            Predicate<Attributes> ours = under("ws", "ws://127.0.0.1:" + listener.uri().getPort());
            assertEquals(1, sum("libchan.sessions.open", ours));
            assertEquals(1, sum("libchan.messages.received", ours), "counted before the application had it");
        } finally {
            ws.abort();
        }
    }

    @Test
    void anHttpCallCountsAsASessionOfTransportHttp() throws Exception {
        URI call = URI.create("http://127.0.0.1:" + listener.uri().getPort() + "/libchan/call");
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(call).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"cmd\":\"echo\",\"n\":7}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        Predicate<Attributes> ours = under("http", "http://127.0.0.1:" + listener.uri().getPort());
        assertEquals(1, sum("libchan.messages.received", ours));
        assertEquals(1, sum("libchan.messages.sent", ours), "counted before it was written");
        assertTrue(sum("libchan.bytes.sent", ours) >= answer.body().length(), "the answer's body");
    }
}
