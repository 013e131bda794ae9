package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static io.libchan.wire.WireMetricsTest.of;
import static io.libchan.wire.WireMetricsTest.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.codec.json.JsonCodec;
import io.libchan.internal.fallback.CallResponse;
import io.libchan.internal.fallback.CallSession;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sessions that have no SPDY wire report the same {@code libchan.*} instruments as those that
 * do ({@link WireMetricsTest}): an in-memory session (transport {@code inmem}) and a call of the
 * HTTP/1.1 fallback (transport {@code http}), each under its listener.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InMemoryAndCallMetricsTest {
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
    private final Settings settings = Settings.builder().openTelemetry(otel).build();

    @AfterEach
    void closeSdk() {
        otel.close();
    }

    @Test
    void anInMemorySessionCountsItsSessionChannelAndMessagesOnBothSides() throws Exception {
        URI uri = URI.create("inmem:metrics-" + UUID.randomUUID());
        try (Listener listener = Libchan.listen(uri, settings)) {
            Transport client = Libchan.connect(uri, settings);
            Transport server = listener.accept(WAIT);
            Sender sender = client.newSendChannel();
            for (int i = 0; i < 3; i++) {
                sender.send(Map.of("seq", i));
            }
            Receiver receiver = server.waitReceiveChannel(WAIT);
            for (int i = 0; i < 3; i++) {
                receiver.receive(Object.class, WAIT);
            }
            Predicate<Attributes> served = of("libchan.transport", "inmem", "libchan.listener", uri.toString());
            Predicate<Attributes> clientSide = of("libchan.transport", "inmem")
                    .and(a -> a.get(AttributeKey.stringKey("libchan.listener")) == null);
            Collection<MetricData> metrics = reader.collectAllMetrics();
            assertEquals(3, sum(metrics, "libchan.messages.received", served));
            assertEquals(0, sum(metrics, "libchan.messages.sent", served), "the server sent nothing");
            assertEquals(3, sum(metrics, "libchan.messages.sent", clientSide));
            assertEquals(1, sum(metrics, "libchan.sessions.open", served.and(of("libchan.dialect", "unknown"))));
            assertEquals(1, sum(metrics, "libchan.sessions.open", clientSide));
            assertEquals(1, sum(metrics, "libchan.channels.open", served), "the channel of the 3 messages");

            client.close();
            metrics = reader.collectAllMetrics();
            assertEquals(0, sum(metrics, "libchan.sessions.open", of("libchan.transport", "inmem")), "both sides ended");
            assertEquals(3, sum(metrics, "libchan.messages.received", served), "an ended session's counts stay");
        }
    }

    @Test
    void anHttpCallIsASessionOfOneMessageInAndItsReplyOut() throws Exception {
        byte[] body = "{\"cmd\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        Recorded response = new Recorded();
        CallSession call = CallSession.open(new JsonCodec(Settings.defaults()), body, "echo", null, false, response,
                Runnable::run, Map.of(), new CallSession.Origin(settings, "127.0.0.1:50000", "http://127.0.0.1:8080"));
        assertEquals(Optional.of("127.0.0.1:50000"), call.info().peerAddress());
        Predicate<Attributes> ours = of("libchan.transport", "http", "libchan.listener", "http://127.0.0.1:8080");
        Collection<MetricData> metrics = reader.collectAllMetrics();
        assertEquals(1, sum(metrics, "libchan.sessions.open", ours), "open until its answer has ended");
        assertEquals(1, sum(metrics, "libchan.channels.open", ours));
        assertEquals(1, sum(metrics, "libchan.messages.received", ours));
        assertEquals(body.length, sum(metrics, "libchan.bytes.received", ours));

        Map<?, ?> request = call.waitReceiveChannel().receive(Map.class, WAIT);
        ((Sender) request.get("ret")).send(Map.of("answer", 42));
        call.finished().get(30, TimeUnit.SECONDS);
        metrics = reader.collectAllMetrics();
        assertEquals(0, sum(metrics, "libchan.sessions.open", ours), "the call ended with its answer");
        assertEquals(0, sum(metrics, "libchan.channels.open", ours));
        assertEquals(1, sum(metrics, "libchan.messages.sent", ours));
        assertEquals(response.bytes, sum(metrics, "libchan.bytes.sent", ours));
        assertEquals(200, response.status);
    }

    /** Records the one whole response. */
    private static final class Recorded implements CallResponse {
        volatile int status;
        volatile int bytes;

        @Override
        public void respond(int status, String contentType, byte[] body) {
            this.status = status;
            this.bytes = body.length;
        }

        @Override
        public void startEvents() {
            throw new AssertionError("not an event stream");
        }

        @Override
        public void event(String name, String data) {
            throw new AssertionError("not an event stream");
        }

        @Override
        public void comment() {
        }

        @Override
        public void end() {
        }
    }
}
