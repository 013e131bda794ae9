package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Collection;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoint calls are timed into {@code libchan.endpoint.duration}, by endpoint and outcome (and
 * source: here the in-app channel's name), with the OpenTelemetry the application provides as a
 * CDI bean (as MicroProfile Telemetry does).
 */
class EndpointMetricsTest {
    static final InMemoryMetricReader READER = InMemoryMetricReader.create();
    static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(READER).build()).build();
    static TestContainer app;

    record Order(String item) {
    }

    @ApplicationScoped
    static class Shop {
        @ChannelEndpoint("priced")
        String price(Order order) {
            return order.item() + ": 3 EUR";
        }

        @ChannelEndpoint("broken")
        String broken(Order order) {
            throw new IllegalStateException("no " + order.item());
        }
    }

    /** A session bean as libchan-ejb serves them; in Weld SE a plain bean, its annotation alone marks it. */
    @jakarta.ejb.Stateless
    static class Ledger {
        @ChannelEndpoint("ledger")
        String book(Order order) {
            return "booked " + order.item();
        }
    }

    static class Telemetry {
        @Produces
        OpenTelemetry openTelemetry() {
            return SDK;
        }
    }

    @BeforeAll
    static void start() {
        app = TestContainer.start(Map.of(
                "libchan.channel.priced.uri", "inmem:priced",
                "libchan.channel.broken.uri", "inmem:broken",
                "libchan.channel.ledger.uri", "inmem:ledger",
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "priced"), Shop.class, Ledger.class, Telemetry.class);
    }

    @AfterAll
    static void stop() {
        app.close();
        SDK.close();
    }

    private static Object call(String endpoint) {
        Pipe reply = Pipe.create();
        app.select(Sender.class, Channel.Literal.of(endpoint)).send(Map.of("item", "tea", "ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    @Test
    void callsAreTimedByEndpointAndOutcome() {
        call("priced");
        call("priced");
        assertTrue(ErrorReply.asError(call("broken")).isPresent(), "an error reply");
        call("ledger");

        Collection<MetricData> metrics = READER.collectAllMetrics();
        HistogramPointData ok = point(metrics, "priced", "ok");
        assertEquals(2, ok.getCount());
        assertTrue(ok.getSum() > 0, "seconds: " + ok.getSum());
        assertEquals(1, point(metrics, "broken", "error").getCount());
        assertEquals(1, point(metrics, "ledger", "ok", "ejb").getCount());
        assertEquals("s", metrics.stream().filter(m -> m.getName().equals("libchan.endpoint.duration")).findFirst()
                .orElseThrow().getUnit());
    }

    /**
     * The sessions of the application's servers report to its OpenTelemetry bean too, not to the
     * global one (MicroProfile Telemetry leaves that unset): a message read over tcp is counted there.
     */
    @Test
    void theServersSessionsCountIntoTheApplicationsOpenTelemetry() {
        try (Transport client = Libchan.connect(app.select(ChannelServers.class).uri("api").toString())) {
            Pipe reply = Pipe.create();
            client.newSendChannel("priced").send(Map.of("item", "tea", "ret", reply.sender()));
            assertEquals("tea: 3 EUR", reply.receiver().receive(Object.class, Await.TIMEOUT));
        }
        long received = READER.collectAllMetrics().stream().filter(m -> m.getName().equals("libchan.messages.received"))
                .flatMap(m -> m.getLongSumData().getPoints().stream())
                .filter(p -> "tcp".equals(p.getAttributes().get(AttributeKey.stringKey("libchan.transport"))))
                .mapToLong(LongPointData::getValue).sum();
        assertTrue(received >= 1, "messages the tcp server read, in the application's SDK: " + received);
    }

    /**
     * A listener the application opens without naming an OpenTelemetry, as libchan-undertow's servlet
     * mount and the JAX-RS fallback do (their settings are made before CDI runs), counts into the
     * application's bean too while the application runs: on WildFly the global one is unset, and
     * those sessions' metrics were exported nowhere.
     */
    @Test
    void aListenerThatNamesNoOpenTelemetryCountsIntoTheApplicationsBean() throws Exception {
        try (io.libchan.Listener own = Libchan.listen(java.net.URI.create("tcp://127.0.0.1:0"), io.libchan.Settings.defaults());
             Transport client = Libchan.connect(own.uri().toString())) {
            client.newSendChannel("anything").send(Map.of("n", 1));
            Transport served = own.accept(Await.TIMEOUT);
            served.waitReceiveChannel(Await.TIMEOUT).receive(Object.class, Await.TIMEOUT);
            long received = READER.collectAllMetrics().stream().filter(m -> m.getName().equals("libchan.messages.received"))
                    .flatMap(m -> m.getLongSumData().getPoints().stream())
                    .filter(p -> own.uri().toString().equals(p.getAttributes().get(AttributeKey.stringKey("libchan.listener"))))
                    .mapToLong(LongPointData::getValue).sum();
            assertEquals(1, received, "the message the listener's session read, in the application's SDK");
            served.abort();
        }
    }

    private static HistogramPointData point(Collection<MetricData> metrics, String endpoint, String outcome) {
        return point(metrics, endpoint, outcome, "cdi");
    }

    private static HistogramPointData point(Collection<MetricData> metrics, String endpoint, String outcome, String layer) {
        return metrics.stream().filter(m -> m.getName().equals("libchan.endpoint.duration"))
                .flatMap(m -> m.getHistogramData().getPoints().stream())
                .filter(p -> endpoint.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.endpoint")))
                        && outcome.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.outcome")))
                        && layer.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.layer")))
                        && endpoint.equals(p.getAttributes().get(AttributeKey.stringKey("libchan.source"))))
                .findFirst().orElseThrow(() -> new AssertionError(endpoint + "/" + outcome + " in " + metrics));
    }
}
