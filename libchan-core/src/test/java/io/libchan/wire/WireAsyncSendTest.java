package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Sender.sendAsync} on a network session: a send the peer's window does not take yet waits
 * in the sender's queue, not on a thread of its own; the sends go out in order once the peer reads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireAsyncSendTest {
    private static final int WINDOW = 64 * 1024;
    private static final int SENDS = 200;

    @Test
    void sendsWaitingForThePeersWindowHoldNoThreadEachAndGoOutInOrder() throws Exception {
        Settings settings = Settings.builder().streamWindowBytes(WINDOW).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings)) {
            Transport client = Libchan.connect(listener.uri(), settings);
            Transport server = listener.accept(RawSpdyPeer.WAIT);
            try {
                Sender sender = client.newSendChannel();
                // the server does not read yet: after WINDOW bytes the sends wait for its window
                int threadsBefore = Thread.activeCount();
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < SENDS; i++) {
                    sent.add(sender.sendAsync(Map.of("seq", i, "body", new byte[8 * 1024])));
                }
                Receiver receiver = server.waitReceiveChannel();
                Object first = receiver.receive();
                int threadsWaiting = Thread.activeCount();
                assertTrue(threadsWaiting - threadsBefore <= 4, "threads while " + SENDS + " sends wait for the window: "
                        + threadsBefore + " -> " + threadsWaiting);
                assertEquals(0, ((Number) ((Map<?, ?>) first).get("seq")).intValue());
                for (int i = 1; i < SENDS; i++) {
                    Map<?, ?> m = (Map<?, ?>) receiver.receive();
                    assertEquals(i, ((Number) m.get("seq")).intValue(), "in order");
                }
                CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            } finally {
                client.abort();
                server.abort();
            }
        }
    }
}
