package io.libchan.internal.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.ByteStream;
import io.libchan.ChannelTimeoutException;
import io.libchan.ConnectionLostException;
import io.libchan.BytePipe;
import io.libchan.EndOfChannelException;
import io.libchan.MessageListener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A libchan.json session whose applications put a thousand local channels and byte streams into
 * messages, both ways, and leave them idle: the sessions move their messages by push, so the process
 * holds no thread per idle channel (on an unbounded pool, as the REST fallback's, one would show as a
 * thread each), and the channels still carry messages, bytes and their ends afterwards.
 */
@Timeout(120)
class JsonIdleChannelThreadsTest {
    private static final int CHANNELS = 1000;
    private static final int SLACK = 32;
    private static final Duration WAIT = Duration.ofSeconds(30);

    // a bounded pool: a forwarder that parked a thread per channel would stall every channel past
    // the eighth (on an unbounded pool, as the REST fallback's, it shows as a thread per channel)
    private static final int POOL = 8;
    private final AtomicInteger poolThreads = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL, POOL, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "json-test-pool-" + poolThreads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private final WirePair wires = new WirePair();

    /** What the server application keeps of one request. */
    private record Served(Sender ret, Receiver up, ByteStream bytes, Sender down, Receiver back) {
    }

    /** What the client application keeps of one request. */
    private record Asked(Receiver ret, Sender up, ByteStream bytes, Receiver down, Sender back) {
    }

    @AfterEach
    void tearDown() {
        wires.close();
        pool.shutdownNow();
    }

    @Test
    void idleNestedChannelsBothWaysHoldNoThreads() throws Exception {
        int before = liveThreads();
        Settings settings = Settings.builder().executor(pool).maxStreams(20 * CHANNELS).build();
        JsonSession server = JsonSession.server(wires.server, settings, pool);
        JsonSession client = JsonSession.client(wires.client, settings);
        wires.start(client, server);
        Map<Long, Served> served = new ConcurrentHashMap<>();
        serve(server, served);

        Sender requests = client.newSendChannel("echo");
        Asked[] asked = new Asked[CHANNELS];
        for (int n = 0; n < CHANNELS; n++) {
            asked[n] = ask(requests, n); // a round trip: every channel of request n is open on both sides
        }

        int after = liveThreads();
        assertTrue(after - before <= SLACK, (after - before) + " more threads with " + CHANNELS
                + " idle requests (4 channels and a byte stream each) open; pool threads created: " + poolThreads.get());

        for (int n : List.of(0, 1, 499, 998, 999)) {
            exchange(asked[n], served.get((long) n), n);
        }
        for (int n : List.of(0, 500, 999)) {
            endEachWay(asked[n], served.get((long) n));
        }
    }

    @Test
    void aLostConnectionFailsTheIdleLocalChannelsOnBothSides() throws Exception {
        Settings settings = Settings.builder().executor(pool).build();
        JsonSession server = JsonSession.server(wires.server, settings, pool);
        JsonSession client = JsonSession.client(wires.client, settings);
        wires.start(client, server);
        Map<Long, Served> served = new ConcurrentHashMap<>();
        serve(server, served);
        Asked asked = ask(client.newSendChannel("echo"), 7);

        wires.close();

        assertThrows(ConnectionLostException.class, () -> asked.ret().receive(Object.class, WAIT));
        assertThrows(ConnectionLostException.class, () -> served.get(7L).back().receive(Object.class, WAIT));
        assertThrows(IOException.class, () -> read(asked.bytes().input()));
        assertThrows(IOException.class, () -> read(served.get(7L).bytes().input()));
    }

    private void serve(JsonSession server, Map<Long, Served> served) {
        server.receiveChannelAsync().thenAccept(top -> top.subscribe(Map.class, pool, new MessageListener<Map>() {
            @Override
            public void onMessage(Map request) {
                long n = ((Number) request.get("n")).longValue();
                Pipe down = Pipe.create();
                Pipe back = Pipe.create();
                Sender ret = (Sender) request.get("ret");
                served.put(n, new Served(ret, (Receiver) request.get("up"), (ByteStream) request.get("bytes"),
                        down.sender(), back.receiver()));
                ret.send(Map.of("n", n, "down", down.receiver(), "back", back.sender()));
            }
        }));
    }

    private Asked ask(Sender requests, int n) {
        Pipe ret = Pipe.create();
        Pipe up = Pipe.create();
        BytePipe bytes = BytePipe.create();
        requests.send(Map.of("n", n, "ret", ret.sender(), "up", up.receiver(), "bytes", bytes.remote()));
        Map<?, ?> reply;
        try {
            reply = ret.receiver().receive(Map.class, WAIT);
        } catch (ChannelTimeoutException e) {
            return fail("no reply to request " + n + " within " + WAIT + "; busy pool threads: " + pool.getActiveCount());
        }
        assertEquals(n, ((Number) reply.get("n")).intValue());
        return new Asked(ret.receiver(), up.sender(), bytes.local(), (Receiver) reply.get("down"), (Sender) reply.get("back"));
    }

    /** Messages and bytes on every channel of request {@code n}, in both directions. */
    private static void exchange(Asked client, Served server, int n) throws IOException {
        client.up().send("up " + n);
        assertEquals("up " + n, server.up().receive(String.class, WAIT));
        server.down().send("down " + n);
        assertEquals("down " + n, client.down().receive(String.class, WAIT));
        client.back().send("back " + n);
        assertEquals("back " + n, server.back().receive(String.class, WAIT));
        server.ret().send(Map.of("n", n, "again", true));
        assertEquals(true, client.ret().receive(Map.class, WAIT).get("again"));

        byte[] toServer = ("bytes to the server " + n).getBytes(StandardCharsets.UTF_8);
        client.bytes().output().write(toServer);
        client.bytes().output().flush();
        assertArrayEquals(toServer, server.bytes().input().readNBytes(toServer.length));
        byte[] toClient = ("bytes to the client " + n).getBytes(StandardCharsets.UTF_8);
        server.bytes().output().write(toClient);
        server.bytes().output().flush();
        assertArrayEquals(toClient, client.bytes().input().readNBytes(toClient.length));
    }

    /** Closing each end is seen at the other, after what was sent before. */
    private static void endEachWay(Asked client, Served server) throws IOException {
        client.up().send("last");
        client.up().close();
        assertEquals("last", server.up().receive(String.class, WAIT));
        assertEnds(server.up());
        server.down().close();
        assertEnds(client.down());
        client.back().close();
        assertEnds(server.back());
        server.ret().close();
        assertEnds(client.ret());

        client.bytes().closeWrite();
        assertEquals(-1, read(server.bytes().input()));
        server.bytes().closeWrite();
        assertEquals(-1, read(client.bytes().input()));
    }

    private static void assertEnds(Receiver r) {
        assertThrows(EndOfChannelException.class, () -> r.receive(Object.class, WAIT));
    }

    private static int read(InputStream in) throws IOException {
        return in.read();
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
