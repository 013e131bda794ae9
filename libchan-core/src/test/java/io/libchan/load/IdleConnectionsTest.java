package io.libchan.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server holds thousands of idle sessions on a small heap with a handful of threads: no thread
 * per connection, session or channel, and a few KiB of heap each (issue 14: at most 16 KiB).
 */
@Timeout(240)
class IdleConnectionsTest {
    private static final int SESSIONS = 2000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void twoThousandIdleSessionsFitInSixtyFourMebibytesWithAHandfulOfThreads() throws Exception {
        try (ChildProcess server = new ChildProcess("tcp://127.0.0.1:0", "-Xmx64m", "-Xms64m")) {
            long[] before = server.stats();
            List<Transport> clients = new ArrayList<>();
            try {
                for (int i = 0; i < SESSIONS; i++) {
                    Transport client = Libchan.connect(server.uri, Settings.defaults());
                    clients.add(client);
                    assertEquals(Map.of("i", (long) i), call(client.newSendChannel(), i), "session " + i);
                }
                long[] loaded = server.stats();
                int cores = Runtime.getRuntime().availableProcessors();
                assertTrue(loaded[0] <= 2L * cores + 16, "threads with " + SESSIONS + " sessions: " + loaded[0]
                        + " (before: " + before[0] + ")");
                long perSession = (loaded[1] - before[1]) / SESSIONS;
                System.out.printf("%d idle sessions at -Xmx64m: %d threads (%d before), %d bytes of heap each%n",
                        SESSIONS, loaded[0], before[0], perSession);
                assertTrue(perSession <= 16 * 1024, "heap per idle session: " + perSession + " bytes");
                assertEquals(SESSIONS, loaded[2] - before[2]);
                // and it still serves: a new session, and an old one
                Transport late = Libchan.connect(server.uri, Settings.defaults());
                clients.add(late);
                assertEquals(Map.of("i", -1L), call(late.newSendChannel(), -1));
                assertEquals(Map.of("i", 7L), call(clients.get(7).newSendChannel(), 7));
                assertTrue(server.isAlive(), server.errors());
            } finally {
                clients.forEach(Transport::abort);
            }
        }
    }

    private static Map<?, ?> call(Sender to, int i) {
        Pipe reply = Pipe.create();
        to.send(Map.of("i", i, "ret", reply.sender()));
        return reply.receiver().receive(Map.class, WAIT);
    }
}
