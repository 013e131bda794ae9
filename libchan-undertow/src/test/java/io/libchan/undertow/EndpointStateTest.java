package io.libchan.undertow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.ListenerState;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.Transport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LibchanEndpoint#state()}, what health checks read, as a raw listener's: its sessions
 * counted against {@code maxConnections}, which it enforces (503, counted refused), and its
 * sessions that drain past their drain timeout counted stuck.
 */
@Timeout(60)
class EndpointStateTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void anEndpointAtItsConnectionLimitSaysSoAndRefusesTheNextSession() throws Exception {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
             LibchanServer server = LibchanServer.builder().endpoint(LibchanEndpoint.create(
                     Settings.builder().maxConnections(1).openTelemetry(otel).build())).start()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/libchan");
            assertEquals(new ListenerState(true, true, true, 0, 1, 0), server.state().orElseThrow());
            try (Transport client = Libchan.connect(uri, Settings.defaults())) {
                Transport served = server.accept(WAIT);
                ListenerState full = server.state().orElseThrow();
                assertEquals(1, full.connections());
                assertEquals(1, full.maxConnections());
                assertFalse(full.underLimit());
                assertFalse(full.accepting(), "no room for one more");

                ExecutionException refused = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient()
                        .newWebSocketBuilder().subprotocols("libchan.spdy3").buildAsync(uri, new WebSocket.Listener() { })
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertEquals(503, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
                long counted = reader.collectAllMetrics().stream().filter(m -> m.getName().equals("libchan.connections.refused"))
                        .flatMap(m -> m.getLongSumData().getPoints().stream())
                        .filter(p -> "max_connections".equals(p.getAttributes().get(AttributeKey.stringKey("libchan.reason"))))
                        .mapToLong(LongPointData::getValue).sum();
                assertEquals(1, counted);
                served.abort();
            }
        }
    }

    @Test
    void aSessionDrainingPastTwiceItsDrainTimeoutIsCountedStuck() throws Exception {
        // the endpoint's timer is held up, so the drain timeout cannot end the session: as if it had failed
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        CountDownLatch release = new CountDownLatch(1);
        timer.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Settings settings = Settings.builder().drainTimeout(Duration.ofMillis(100)).scheduler(timer).build();
        try (LibchanServer server = LibchanServer.builder().endpoint(LibchanEndpoint.create(settings)).start();
             Transport client = Libchan.connect(URI.create("ws://127.0.0.1:" + server.port() + "/libchan"), Settings.defaults())) {
            client.newSendChannel().send(Map.of("hello", 1)); // stays open: the server's close has to drain
            Transport served = server.accept(WAIT);
            Receiver channel = served.waitReceiveChannel(WAIT);
            channel.receive(Object.class, WAIT);
            assertEquals(0, server.state().orElseThrow().stuckDraining());
            served.close();
            await().atMost(WAIT).until(() -> server.state().orElseThrow().stuckDraining() == 1);
            assertFalse(served.closeFuture().isDone(), "still not ended");
            served.abort();
            await().atMost(WAIT).until(() -> server.state().orElseThrow().stuckDraining() == 0);
        } finally {
            release.countDown();
            timer.shutdownNow();
        }
    }
}
