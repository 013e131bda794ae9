package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.Transport;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the module's bounded pool, an endpoint method that blocks still works: each call holds one
 * thread, at most the endpoint's configured {@code max-concurrency} of them, so the next call waits
 * for one to finish (holding no thread meanwhile) and other endpoints keep being served.
 */
class BlockingEndpointTest {
    static final int LIMIT = 2;
    static TestContainer server;

    @Singleton
    static class Endpoints {
        final Semaphore entered = new Semaphore(0);
        final Semaphore proceed = new Semaphore(0);
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        /** For each call, in the order they began: how many calls had finished when it began. */
        final List<Integer> finishedAtStart = new CopyOnWriteArrayList<>();

        @ChannelEndpoint("slow")
        String slow() throws InterruptedException {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            finishedAtStart.add(finished.get());
            entered.release();
            try {
                proceed.acquire(); // blocks its thread until the test lets it go
            } finally {
                running.decrementAndGet();
                finished.incrementAndGet();
            }
            return "slow done";
        }

        @ChannelEndpoint("fast")
        String fast() {
            return "fast done";
        }
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "slow,fast",
                "libchan.threads", Integer.toString(LIMIT + 1),
                "libchan.endpoint.slow.max-concurrency", Integer.toString(LIMIT)), Endpoints.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theCallOverTheLimitWaitsForOneToFinishWhileOtherEndpointsAreServed() throws InterruptedException {
        Endpoints endpoints = server.select(Endpoints.class);
        URI uri = server.select(ChannelServers.class).uri("api");
        Transport client = Libchan.connect(uri, Settings.defaults());
        try {
            List<Receiver> slowReplies = new ArrayList<>();
            for (int i = 0; i < LIMIT + 1; i++) {
                slowReplies.add(call(client, "slow"));
            }
            assertTrue(endpoints.entered.tryAcquire(LIMIT, Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

            // LIMIT calls hold LIMIT of the LIMIT + 1 threads; the one over the limit holds none
            assertEquals("fast done", call(client, "fast").receive(String.class, Await.TIMEOUT));
            assertEquals(LIMIT, endpoints.finishedAtStart.size(), "a call over the limit started");

            endpoints.proceed.release();
            assertTrue(endpoints.entered.tryAcquire(1, Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
            assertEquals(List.of(0, 0, 1), endpoints.finishedAtStart, "the last call began before one had finished");

            endpoints.proceed.release(LIMIT);
            for (Receiver reply : slowReplies) {
                assertEquals("slow done", reply.receive(String.class, Await.TIMEOUT));
            }
            assertEquals(LIMIT, endpoints.mostAtOnce.get());
        } finally {
            client.close();
        }
    }

    private static Receiver call(Transport client, String endpoint) {
        Pipe reply = Pipe.create();
        client.newSendChannel(endpoint).send(Map.of("ret", reply.sender()));
        return reply.receiver();
    }
}
