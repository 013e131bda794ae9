package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A call of the JAX-RS fallback counts in the {@code libchan.*} metrics as a session of transport
 * {@code http}, under the request's scheme and authority: one message in, its answer out. Its
 * WebSocket sessions count under {@code ws://} and the same authority, as on the other doors.
 */
@Timeout(60)
class RestCallMetricsTest {
    static final InMemoryMetricReader READER = InMemoryMetricReader.create();
    static OpenTelemetrySdk sdk;
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        sdk = OpenTelemetrySdk.builder().setMeterProvider(SdkMeterProvider.builder().registerMetricReader(READER).build()).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    private static long sum(String name, Predicate<Attributes> where) {
        return READER.collectAllMetrics().stream().filter(m -> m.getName().equals(name))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> where.test(p.getAttributes())).mapToLong(LongPointData::getValue).sum();
    }

    @Test
    void aFallbackCallIsOneMessageInAndItsAnswerOut() throws Exception {
        URI uri = app.http("/api/libchan/call/echo");
        HttpRequest request = Http.request(uri, "alice").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build();
        HttpResponse<String> r = Http.send(request);
        assertEquals(200, r.statusCode(), r.body());
        String listener = uri.getScheme() + "://" + uri.getRawAuthority();
        Predicate<Attributes> ours = a -> "http".equals(a.get(AttributeKey.stringKey("libchan.transport")))
                && listener.equals(a.get(AttributeKey.stringKey("libchan.listener")));
        assertEquals(1, sum("libchan.messages.received", ours));
        assertEquals(1, sum("libchan.messages.sent", ours), "counted before it was written");
    }

    /**
     * The listener is the address the call came in on, not the client's {@code Host}: a client sending
     * a new {@code Host} with every call must not make a metrics series (and a cached attribute set) of
     * each.
     */
    @Test
    void aCallsListenerIsTheLocalAddressWhateverHostTheClientSends() throws Exception {
        String listener = "http://127.0.0.1:" + app.port();
        Predicate<Attributes> ours = a -> "http".equals(a.get(AttributeKey.stringKey("libchan.transport")))
                && listener.equals(a.get(AttributeKey.stringKey("libchan.listener")));
        Predicate<Attributes> claimed = a -> String.valueOf(a.get(AttributeKey.stringKey("libchan.listener")))
                .contains("claimed.example");
        long before = sum("libchan.messages.received", ours);
        String body = "{\"n\":1}";
        String auth = Base64.getEncoder().encodeToString(("alice:" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /app/api/libchan/call/echo HTTP/1.1\r\nHost: claimed.example:1\r\nAuthorization: Basic " + auth
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(before + 1, sum("libchan.messages.received", ours), "counted under " + listener);
        assertEquals(0, sum("libchan.messages.received", claimed), "no series named by the client's Host");
    }

    /** {@code null}: libchan.spdy3, the Java client's default; {@code codec=json}: libchan.json. */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "codec=json")
    void aWebSocketSessionCountsUnderItsListener(String query) throws Exception {
        URI uri = app.webSocket("alice", query);
        String listener = "ws://127.0.0.1:" + app.port();
        Predicate<Attributes> ours = a -> "ws".equals(a.get(AttributeKey.stringKey("libchan.transport")))
                && listener.equals(a.get(AttributeKey.stringKey("libchan.listener")));
        long before = sum("libchan.messages.received", ours);
        try (Transport session = Libchan.connect(uri, Settings.defaults())) {
            Pipe reply = Pipe.create();
            Sender channel = session.newSendChannel("echo");
            channel.send(Map.of("n", 1, "ret", reply.sender()));
            reply.receiver().receive(Object.class, Duration.ofSeconds(30));
            channel.close();
        }
        assertEquals(before + 1, sum("libchan.messages.received", ours), "the echo's message, under " + listener);
    }
}
