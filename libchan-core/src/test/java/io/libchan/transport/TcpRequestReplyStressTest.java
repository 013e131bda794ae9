package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many request/reply round trips at once over one TCP session, each on a fresh reply channel, with
 * the server's replies written by blocking-loop threads while its connection reader writes its own
 * frames (SYN_REPLYs) without blocking: every request gets its reply, none waits for an unrelated
 * later write. (A frame queued while the reader held the writer once stayed unwritten until the next
 * write: a lost reply at 1 in flight.)
 */
@Timeout(120)
class TcpRequestReplyStressTest {
    private static final int CLIENTS = 2;
    private static final int ROUND_TRIPS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyRequestIsAnsweredWhileClientsAndServerThreadsWriteAtOnce() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                Transport client = Libchan.connect(listener.uri().toString())) {
            Transport server = listener.accept(WAIT);
            threads.execute(() -> EachChannelServer.serve(server, threads, message -> {
                Sender ret = Messages.replyChannel(message).orElseThrow();
                ret.send(Map.of("n", Messages.field(message, "n").orElseThrow()));
                ret.close();
            }));
            List<Future<Integer>> answered = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                answered.add(threads.submit(() -> roundTrips(client, id)));
            }
            for (Future<Integer> f : answered) {
                assertEquals(ROUND_TRIPS, f.get(100, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static int roundTrips(Transport client, int id) {
        Sender requests = client.newSendChannel();
        int answered = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            Pipe ret = Pipe.create();
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("n", i);
            request.put("client", id);
            request.put("ret", ret.sender());
            requests.send(request);
            Map<?, ?> reply = ret.receiver().receive(Map.class, WAIT);
            assertEquals(i, ((Number) reply.get("n")).intValue(), "client " + id);
            answered++;
        }
        requests.close();
        return answered;
    }
}
