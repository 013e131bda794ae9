package io.libchan.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Out of file descriptors, a listener stops accepting for a while instead of spinning on the
 * failing accept, logs it at most once a second, and takes the waiting connections once
 * descriptors are free again.
 */
@Timeout(120)
class AcceptBackoffTest {
    private static final int FD_LIMIT = 256;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void outOfFileDescriptorsTheListenerBacksOffAndRecovers() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try (ChildProcess server = new ChildProcess(FD_LIMIT, "tcp://127.0.0.1:0", "-Xmx64m")) {
            try {
                // more connections than the server has descriptors: the kernel takes them all into the
                // listen backlog, the server accepts until accept fails with EMFILE
                for (int i = 0; i < FD_LIMIT + 100; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(server.uri.getHost(), server.uri.getPort()), 10_000);
                    sockets.add(s);
                }
                awaitLine(server, "Too many open files");
                long before = server.cpuTicks();
                long start = System.nanoTime();
                awaitLine(server, "more times since the last report"); // a second report, a second later
                long ticks = server.cpuTicks() - before;
                double seconds = (System.nanoTime() - start) / 1e9;
                // a loop that retried the failing accept at once would keep a core busy (100 ticks a second)
                assertTrue(ticks < 50 * seconds, "server CPU while out of descriptors: " + ticks + " ticks in " + seconds + " s");
                long reports = server.errors().lines().filter(l -> l.contains("Too many open files")).count();
                assertTrue(reports <= seconds + 2, reports + " reports in " + seconds + " s: " + server.errors());

                for (int i = 0; i < 150; i++) {
                    sockets.remove(sockets.size() - 1).close();
                }
                // descriptors are free again: a new client is served (after the ones still waiting)
                Transport client = Libchan.connect(server.uri, Settings.defaults());
                try {
                    Pipe reply = Pipe.create();
                    client.newSendChannel().send(Map.of("n", 1, "ret", reply.sender()));
                    assertEquals(Map.of("n", 1L), reply.receiver().receive(Map.class, WAIT));
                } catch (RuntimeException e) {
                    throw new AssertionError("the server did not serve a new client: " + e + "\n" + server.errors(), e);
                } finally {
                    client.abort();
                }
                assertTrue(server.isAlive(), server.errors());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    /** Waits (bounded) until the child's log holds {@code text}. */
    private static void awaitLine(ChildProcess server, String text) throws InterruptedException {
        try {
            // a log file gives no event to wait on: wait for the condition
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.errors().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the server never logged '" + text + "': " + server.errors(), e);
        }
    }
}
