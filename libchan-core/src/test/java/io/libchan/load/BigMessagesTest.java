package io.libchan.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many peers sending messages near the size limit at once slow down instead of exhausting the
 * server's memory (its budget of unread bytes pauses their reads): each is answered, or refused
 * with a typed error, and the server goes on serving.
 */
@Timeout(300)
class BigMessagesTest {
    private static final int CLIENTS = 16;
    private static final int SIZE = 15 * 1024 * 1024; // under the 16 MiB default limit
    private static final Duration WAIT = Duration.ofSeconds(200);

    @Test
    void sixteenFifteenMebibyteMessagesAtOnceOnAQuarterGibibyteHeap() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (ChildProcess server = new ChildProcess("tcp://127.0.0.1:0", "-Xmx256m")) {
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte fill = (byte) i;
                outcomes.add(CompletableFuture.supplyAsync(() -> exchange(server, fill), clients));
            }
            int answered = 0;
            for (CompletableFuture<String> o : outcomes) {
                String outcome = o.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(outcome.equals("answered") || outcome.startsWith("refused"), outcome);
                answered += outcome.equals("answered") ? 1 : 0;
            }
            assertTrue(server.isAlive(), server.errors());
            assertFalse(server.errors().contains("OutOfMemoryError"), server.errors());
            assertTrue(answered > 0, "at least one was answered");
            System.out.printf("%d of %d messages of %d bytes answered at -Xmx256m%n", answered, CLIENTS, SIZE);
            assertEquals("answered", exchangeSmall(server), "the server serves on afterwards");
        } finally {
            clients.shutdownNow();
        }
    }

    private static String exchange(ChildProcess server, byte fill) {
        Transport t = Libchan.connect(server.uri, Settings.defaults());
        try {
            byte[] blob = new byte[SIZE];
            Arrays.fill(blob, fill);
            Pipe reply = Pipe.create();
            t.newSendChannel().send(Map.of("blob", blob, "ret", reply.sender()));
            Map<?, ?> back = reply.receiver().receive(Map.class, WAIT);
            byte[] echoed = (byte[]) back.get("blob");
            return echoed.length == SIZE && echoed[0] == fill && echoed[SIZE - 1] == fill ? "answered" : "garbled";
        } catch (LibchanException e) {
            return "refused: " + e;
        } finally {
            t.abort();
        }
    }

    private static String exchangeSmall(ChildProcess server) {
        Transport t = Libchan.connect(server.uri, Settings.defaults());
        try {
            Pipe reply = Pipe.create();
            t.newSendChannel().send(Map.of("blob", new byte[] {1}, "ret", reply.sender()));
            return ((byte[]) reply.receiver().receive(Map.class, WAIT).get("blob")).length == 1 ? "answered" : "garbled";
        } finally {
            t.abort();
        }
    }
}
