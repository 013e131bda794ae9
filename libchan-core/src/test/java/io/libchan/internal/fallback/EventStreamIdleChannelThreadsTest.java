package io.libchan.internal.fallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.ChannelTimeoutException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.internal.codec.json.JsonCodec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/1.1 call answered as Server-Sent Events whose reply carries a thousand Receivers: each
 * becomes a channel of the event stream, forwarded by push, so while they are idle the process holds
 * no thread per channel (on an unbounded pool, as the REST fallback's, one would show as a thread
 * each); their messages and ends still come through as events, and the response ends with the last.
 */
@Timeout(120)
class EventStreamIdleChannelThreadsTest {
    private static final int CHANNELS = 1000;
    private static final int SLACK = 32;
    private static final Duration WAIT = Duration.ofSeconds(30);

    // a bounded pool: a forwarder that parked a thread per channel would stall every channel past
    // the eighth (on an unbounded pool, as the REST fallback's, it shows as a thread per channel)
    private static final int POOL = 8;
    private final AtomicInteger poolThreads = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL, POOL, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "sse-test-pool-" + poolThreads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private final RecordedResponse response = new RecordedResponse();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void idleNestedChannelsOfAnEventStreamHoldNoThreads() throws Exception {
        int before = liveThreads();
        Reply reply = new EventStream(new JsonCodec(Settings.defaults()), response, pool).reply();
        List<Pipe> pipes = new ArrayList<>();
        List<Receiver> receivers = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            Pipe p = Pipe.create();
            pipes.add(p);
            receivers.add(p.receiver());
        }
        reply.send(Map.of("items", receivers));
        assertTrue(response.next().startsWith("message {\"channel\":0,"));
        for (int i = 0; i < CHANNELS; i++) {
            try {
                pipes.get(i).sender().send("hello " + i, WAIT); // taken once the channel is forwarded
            } catch (ChannelTimeoutException e) {
                fail("channel " + (i + 1) + " is not forwarded within " + WAIT + "; busy pool threads: " + pool.getActiveCount());
            }
            assertEquals("message {\"channel\":" + (i + 1) + ",\"message\":\"hello " + i + "\"}", response.next());
        }

        int after = liveThreads();
        assertTrue(after - before <= SLACK, (after - before) + " more threads with " + CHANNELS
                + " idle channels in the event stream; pool threads created: " + poolThreads.get());

        pipes.get(499).sender().send("again");
        assertEquals("message {\"channel\":500,\"message\":\"again\"}", response.next());
        reply.close();
        assertEquals("end {\"channel\":0}", response.next());
        for (int i = 0; i < CHANNELS; i++) {
            pipes.get(i).sender().close();
            assertEquals("end {\"channel\":" + (i + 1) + "}", response.next());
        }
        response.ended.get(30, TimeUnit.SECONDS);
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Records the events written, in order. */
    private static final class RecordedResponse implements CallResponse {
        private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        String next() throws InterruptedException {
            String e = events.poll(30, TimeUnit.SECONDS);
            assertTrue(e != null, "no event within 30 s");
            return e;
        }

        @Override
        public void respond(int status, String contentType, byte[] body) {
            events.add("respond " + status);
        }

        @Override
        public void startEvents() {
            // nothing to record: the first event follows
        }

        @Override
        public void event(String name, String data) {
            events.add(name + " " + data);
        }

        @Override
        public void comment() {
            // heartbeats are not part of what the test checks
        }

        @Override
        public void end() {
            ended.complete(null);
        }
    }
}
