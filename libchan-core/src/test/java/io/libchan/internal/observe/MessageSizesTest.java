package io.libchan.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Settings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.incubator.metrics.BoundLongHistogram;
import io.opentelemetry.api.incubator.metrics.ExtendedLongHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Message sizes reach {@code libchan.message.size} under each direction's attributes, through the
 * SDK's bound handles when it has them (the cheap way, issue 18 item 8) and by attributes when it
 * has not (a histogram without {@code bind}, or an SDK older than the incubating API beside it).
 */
class MessageSizesTest {
    private static final SessionAttributes TCP = SessionAttributes.of("tcp", "tcp://127.0.0.1:1");

    @Test
    void anSdkWithTheIncubatingApiGetsItsSizesThroughBoundHandles() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build()) {
            MessageSizes sizes = Telemetry.metrics(Settings.builder().openTelemetry(sdk).build()).messageSizes(TCP);
            assertTrue(sizes.bound(), "the SDK's histogram was not bound");
            sizes.sent(100);
            sizes.sent(5000);
            sizes.received(70);

            Map<String, HistogramPointData> byDirection = reader.collectAllMetrics().stream()
                    .filter(m -> m.getName().equals("libchan.message.size"))
                    .flatMap(m -> m.getHistogramData().getPoints().stream())
                    .collect(Collectors.toMap(p -> p.getAttributes().get(SessionAttributes.DIRECTION), p -> p));
            assertEquals(2, byDirection.get("sent").getCount());
            assertEquals(5100.0, byDirection.get("sent").getSum());
            assertEquals(TCP.sent(), byDirection.get("sent").getAttributes());
            assertEquals(1, byDirection.get("received").getCount());
            assertEquals(70.0, byDirection.get("received").getSum());
        }
    }

    @Test
    void aHistogramThatCannotBindIsRecordedByAttributes() {
        Recording plain = new Recording();
        MessageSizes sizes = MessageSizes.of(plain, TCP);
        assertFalse(sizes.bound());
        sizes.sent(100);
        sizes.received(70);
        assertEquals(List.of(TCP.sent() + "=100", TCP.received() + "=70"), plain.records);
    }

    @Test
    void anSdkOlderThanTheIncubatingApiBesideItIsRecordedByAttributes() {
        Recording older = new OlderSdk();
        MessageSizes sizes = MessageSizes.of(older, TCP);
        assertFalse(sizes.bound());
        sizes.sent(100);
        assertEquals(List.of(TCP.sent() + "=100"), older.records);
    }

    @Test
    void sessionsOfOneListenerShareTheirRecorder() {
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().build()) {
            LibchanMetrics metrics = Telemetry.metrics(Settings.builder().openTelemetry(sdk).build());
            assertTrue(metrics.messageSizes(TCP) == metrics.messageSizes(SessionAttributes.of("tcp", "tcp://127.0.0.1:1")),
                    "one binding per listener, not one per session");
        }
    }

    /** A histogram without bound handles, keeping what it was given. */
    private static class Recording implements LongHistogram {
        final List<String> records = new ArrayList<>();

        @Override
        public void record(long value) {
            records.add("none=" + value);
        }

        @Override
        public void record(long value, Attributes attributes) {
            records.add(attributes + "=" + value + " in the caller's context");
        }

        @Override
        public void record(long value, Attributes attributes, Context context) {
            records.add(attributes + (context == Context.root() ? "" : " in the caller's context") + "=" + value);
        }
    }

    /** What an SDK built against an incubating API without {@code bind} does when asked to bind. */
    private static final class OlderSdk extends Recording implements ExtendedLongHistogram {
        @Override
        public BoundLongHistogram bind(Attributes attributes) {
            throw new AbstractMethodError("bind");
        }
    }

}
