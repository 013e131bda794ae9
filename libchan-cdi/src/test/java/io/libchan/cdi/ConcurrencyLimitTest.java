package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Transport;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An endpoint never runs more calls at once than its limit, however many channels feed it. */
class ConcurrencyLimitTest {
    static final int CHANNELS = 6;
    static TestContainer server;

    /** Calls block until the test lets them finish, and record how many ran at once. */
    static class Gauge {
        final Semaphore entered = new Semaphore(0);
        final Semaphore proceed = new Semaphore(0);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        String measure() throws InterruptedException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            entered.release();
            try {
                proceed.acquire();
            } finally {
                running.decrementAndGet();
            }
            return "done";
        }
    }

    @Singleton
    static class Slow {
        final Gauge annotated = new Gauge();
        final Gauge configured = new Gauge();

        @ChannelEndpoint(value = "annotated", maxConcurrency = 2)
        String annotated() throws InterruptedException {
            return annotated.measure();
        }

        @ChannelEndpoint(value = "configured", maxConcurrency = 5)
        String configured() throws InterruptedException {
            return configured.measure();
        }
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "inmem:limit-api",
                "libchan.endpoint.configured.max-concurrency", "1"), Slow.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void annotatedLimitCapsCallsRunningAtOnce() throws InterruptedException {
        assertMostAtOnce("annotated", server.select(Slow.class).annotated, 2);
    }

    @Test
    void configuredLimitOverridesTheAnnotation() throws InterruptedException {
        assertMostAtOnce("configured", server.select(Slow.class).configured, 1);
    }

    /** One message on each of {@link #CHANNELS} channels; lets calls finish one by one once the limit is reached. */
    private static void assertMostAtOnce(String endpoint, Gauge gauge, int limit) throws InterruptedException {
        Transport client = Libchan.connect("inmem:limit-api");
        try {
            List<Receiver> replies = new ArrayList<>();
            for (int i = 0; i < CHANNELS; i++) {
                Pipe reply = Pipe.create();
                client.newSendChannel(endpoint).send(Map.of("ret", reply.sender()));
                replies.add(reply.receiver());
            }
            assertTrue(gauge.entered.tryAcquire(limit, Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
            for (int i = 0; i < CHANNELS; i++) {
                gauge.proceed.release();
            }
            for (Receiver reply : replies) {
                assertEquals("done", reply.receive(String.class, Await.TIMEOUT));
            }
            assertEquals(limit, gauge.mostAtOnce.get());
        } finally {
            client.close();
        }
    }
}
