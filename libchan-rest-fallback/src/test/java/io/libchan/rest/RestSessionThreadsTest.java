package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket sessions at {@code …/libchan/ws}, in both framings, are served by push on libchan-cdi's
 * bounded pool: with many of them open, the application runs no thread of libchan-cdi per session.
 */
@Timeout(120)
class RestSessionThreadsTest {
    private static final int SESSIONS = 100;
    private static final int THREADS = 3;

    @Test
    void openWebSocketSessionsHoldNoThreadOfTheirOwn() throws Exception {
        Map<String, String> properties = new HashMap<>(TestConfig.PROPERTIES);
        properties.put("libchan.threads", Integer.toString(THREADS));
        List<Transport> sessions = new ArrayList<>();
        try (FallbackServer app = FallbackServer.start(properties, Shop.class)) {
            List<CompletableFuture<Map>> replies = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Transport session = Libchan.connect(app.webSocket("alice", i % 2 == 0 ? "codec=json" : null),
                        Settings.defaults());
                sessions.add(session);
                Pipe ret = Pipe.create();
                session.newSendChannel("echo").send(Map.of("n", i, "ret", ret.sender()));
                long n = i;
                replies.add(ret.receiver().receiveAsync(Map.class).thenApply(reply -> {
                    assertEquals(n, ((Number) reply.get("n")).longValue());
                    return reply;
                }));
            }
            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);

            assertTrue(sessions.stream().allMatch(Transport::isOpen));
            List<String> cdiThreads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith("libchan-cdi")).sorted().toList();
            // the pool and the back-off timer, whatever the number of sessions
            assertTrue(cdiThreads.size() <= THREADS + 1, cdiThreads.size() + " threads with " + SESSIONS
                    + " sessions open: " + cdiThreads);
        } finally {
            sessions.forEach(Transport::abort);
        }
    }
}
