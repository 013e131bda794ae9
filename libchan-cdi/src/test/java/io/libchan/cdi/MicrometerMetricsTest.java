package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * With a Micrometer {@link MeterRegistry} bean (WildFly's micrometer subsystem gives every CDI
 * deployment one), libchan's metrics are meters of that registry, named as the OpenTelemetry
 * instruments and tagged with their attributes, and leave it when the application stops: the
 * registry outlives the application, as the server's does a deployment. No OpenTelemetry here.
 */
class MicrometerMetricsTest {
    /** The server's registry: made once, kept across the applications started here. */
    static final MeterRegistry REGISTRY = new SimpleMeterRegistry();

    @ApplicationScoped
    static class Shop {
        @ChannelEndpoint("priced")
        String price(Map<String, Object> order) {
            return order.get("item") + ": 3 EUR";
        }
    }

    static class Registry {
        @Produces
        MeterRegistry registry() {
            return REGISTRY;
        }
    }

    private static TestContainer start() {
        return TestContainer.start(Map.of(
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "priced"), Shop.class, Registry.class);
    }

    /** Three calls over tcp: the server's session reads three messages and times three calls. */
    private static String threeCalls(Transport client) {
        String last = null;
        for (int i = 0; i < 3; i++) {
            Pipe reply = Pipe.create();
            client.newSendChannel("priced").send(Map.of("item", "tea" + i, "ret", reply.sender()));
            last = reply.receiver().receive(String.class, Await.TIMEOUT);
        }
        return last;
    }

    @Test
    void aKnownExchangeIsInTheRegistryUntilTheApplicationStops() {
        String listener;
        try (TestContainer app = start()) {
            listener = app.select(ChannelServers.class).uri("api").toString();
            try (Transport client = Libchan.connect(listener)) {
                assertEquals("tea2: 3 EUR", threeCalls(client));

                FunctionCounter received = REGISTRY.find("libchan.messages.received")
                        .tag("libchan.transport", "tcp").tag("libchan.listener", listener).functionCounter();
                assertTrue(received != null, "libchan.messages.received of " + listener + " in " + names());
                assertEquals(3.0, received.count());
                Timer calls = REGISTRY.find("libchan.endpoint.duration").tag("libchan.endpoint", "priced")
                        .tag("libchan.outcome", "ok").timer();
                assertTrue(calls != null, "libchan.endpoint.duration of priced in " + names());
                assertEquals(3, calls.count());
                assertEquals(1.0, openSessions(listener), "the client's session, open");
                assertTrue(REGISTRY.find("libchan.messages.received").tag("libchan.transport", "tcp")
                        .tag("libchan.listener", "").functionCounter().count() >= 3, "the client's session's replies read");
                assertEquals(1, REGISTRY.find("libchan.messages.received").functionCounters().stream()
                        .map(c -> c.getId().getTags().stream().map(t -> t.getKey()).toList()).distinct().count(),
                        "one set of tag keys per name, as Micrometer's Prometheus registry requires: " + names());
                FunctionCounter bytes = REGISTRY.find("libchan.bytes.received").tag("libchan.listener", listener)
                        .functionCounter();
                assertTrue(bytes.count() > 0, "bytes read");
                assertEquals("bytes", bytes.getId().getBaseUnit(), "Prometheus: libchan_bytes_received_bytes_total");
                assertTrue(REGISTRY.find("libchan.message.size").tag("libchan.direction", "received")
                        .tag("libchan.listener", listener).summary().count() >= 3, "three messages' sizes");
            }
        }
        assertEquals(List.of(), libchanMeters(), "libchan's meters once the application stopped");
    }

    /** A redeployment finds the registry without libchan's meters and makes them again (no duplicate, no dead meter). */
    @Test
    void aSecondApplicationOnTheSameRegistryHasItsOwnMeters() {
        for (int round = 0; round < 2; round++) {
            try (TestContainer app = start()) {
                String listener = app.select(ChannelServers.class).uri("api").toString();
                try (Transport client = Libchan.connect(listener)) {
                    threeCalls(client);
                }
                assertEquals(3.0, REGISTRY.find("libchan.messages.received").tag("libchan.listener", listener)
                        .functionCounter().count(), "round " + round);
            }
            assertEquals(List.of(), libchanMeters(), "round " + round);
        }
    }

    /**
     * On WildFly the registry is the server's: a meter another deployment registered first for the
     * same series (here a client session's) stays its own, and this application's stop leaves it.
     */
    @Test
    void aMeterAnotherDeploymentRegisteredFirstIsLeftToIt() {
        AtomicLong seven = new AtomicLong(7); // held here: the counter holds it weakly
        FunctionCounter theirs = FunctionCounter.builder("libchan.messages.received", seven, AtomicLong::get)
                .tags("libchan.transport", "tcp", "libchan.listener", "").register(REGISTRY);
        try {
            try (TestContainer app = start();
                 Transport client = Libchan.connect(app.select(ChannelServers.class).uri("api").toString())) {
                threeCalls(client);
            }
            assertSame(theirs, REGISTRY.find("libchan.messages.received").tag("libchan.listener", "").functionCounter());
            assertEquals((double) seven.get(), theirs.count(), "the other deployment's count, not this one's");
            assertEquals(List.of(theirs.getId().toString()), libchanMeters(), "only the other deployment's meter");
        } finally {
            REGISTRY.remove(theirs);
        }
    }

    private static double openSessions(String listener) {
        return REGISTRY.find("libchan.sessions.open").tag("libchan.listener", listener).gauges().stream()
                .mapToDouble(Gauge::value).sum();
    }

    private static List<String> libchanMeters() {
        return REGISTRY.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("libchan."))
                .map(Meter.Id::toString).toList();
    }

    private static List<String> names() {
        return REGISTRY.getMeters().stream().map(m -> m.getId().toString()).toList();
    }
}
