package io.libchan.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.EndOfChannelException;
import io.libchan.MessageListener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A libchan.json peer that stops reading holds back the writer by credit, not by the writer's
 * threads: async sends past the window wait without a thread, the session's pool keeps serving
 * other channels, and once the reader reads, every message arrives, in order, then the close that
 * followed them.
 */
@Timeout(120)
class JsonSlowReaderTest {
    private static final int SLOW_CHANNELS = 20;
    private static final int MESSAGES = 100;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int POOL = 8;

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL, POOL, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final WirePair wires = new WirePair();

    @AfterEach
    void tearDown() {
        wires.close();
        pool.shutdownNow();
    }

    @Test
    void asyncSendsToAReaderThatStopsWaitForCreditWithoutHoldingThreads() throws Exception {
        Settings settings = Settings.builder().executor(pool).build();
        JsonSession server = JsonSession.server(wires.server, settings, pool);
        JsonSession client = JsonSession.client(wires.client, settings);
        wires.start(client, server);
        LinkedBlockingQueue<Sender> replyChannels = new LinkedBlockingQueue<>();
        server.receiveChannelAsync().thenAccept(top -> top.subscribe(Map.class, pool, new MessageListener<Map>() {
            @Override
            public void onMessage(Map request) {
                replyChannels.add((Sender) request.get("ret"));
            }
        }));
        Sender requests = client.newSendChannel("stream");

        List<Receiver> unread = new ArrayList<>();
        List<List<CompletableFuture<Void>>> sends = new ArrayList<>();
        for (int c = 0; c < SLOW_CHANNELS; c++) {
            Pipe ret = Pipe.create();
            requests.send(Map.of("ret", ret.sender()));
            unread.add(ret.receiver());
            Sender toClient = served(replyChannels);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sent.add(toClient.sendAsync(i));
            }
            toClient.close(); // the sends queued before still go out first
            sends.add(sent);
        }

        // past every window, the session still serves: a new request is answered on the same pool
        Pipe fresh = Pipe.create();
        requests.send(Map.of("ret", fresh.sender()));
        Sender toFresh = served(replyChannels);
        toFresh.send("still served");
        assertEquals("still served", fresh.receiver().receive(String.class, WAIT));
        for (List<CompletableFuture<Void>> sent : sends) {
            assertTrue(sent.stream().anyMatch(f -> !f.isDone()), "a reader that does not read holds its writer back");
        }

        for (int c = 0; c < SLOW_CHANNELS; c++) {
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i, unread.get(c).receive(Integer.class, WAIT));
            }
            Receiver r = unread.get(c);
            assertThrows(EndOfChannelException.class, () -> r.receive(Object.class, WAIT));
            CompletableFuture.allOf(sends.get(c).toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The reply channel of the next request the server application took. */
    private Sender served(LinkedBlockingQueue<Sender> replyChannels) throws InterruptedException {
        Sender s = replyChannels.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(s != null, "no request served within " + WAIT + " behind unread channels; busy pool threads: "
                + pool.getActiveCount() + " of " + POOL);
        return s;
    }
}
