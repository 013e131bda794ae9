package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.PingFrame;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keep-alive PINGs against a raw SPDY client (PROTOCOL.md section 4.5): each PING has a new id of
 * the server's parity, and only the answer to the current one keeps the session.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireKeepAliveTest {
    private static final Settings QUICK = Settings.builder().keepAliveInterval(Duration.ofMillis(100))
            .keepAliveTimeout(Duration.ofMillis(500)).build();

    @Test
    void pingIdsRiseAndALateAnswerDoesNotPassForTheCurrentPing() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), QUICK);
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                PingFrame first = peer.awaitFrame(PingFrame.class, p -> true);
                peer.send(first); // answered: the session goes on
                PingFrame second = peer.awaitFrame(PingFrame.class, p -> true);
                assertEquals(0, first.id() % 2, "server PINGs have even ids: " + first);
                assertEquals(0, second.id() % 2, "server PINGs have even ids: " + second);
                assertTrue(second.id() > first.id(), "ids rise: " + first + " then " + second);

                peer.send(first); // a late answer to the first PING, never one to the second
                peer.expectClosed(WAIT);
                ExecutionException lost = assertThrows(ExecutionException.class, () -> server.closeFuture().get(30, TimeUnit.SECONDS));
                assertInstanceOf(ConnectionLostException.class, lost.getCause());
                assertFalse(server.isOpen());
            } finally {
                server.abort();
            }
        }
    }
}
