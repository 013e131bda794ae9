package io.libchan.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.ListenerState;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Listener#state()} of a socket listener, what health checks read: open and accepting from
 * the start, its connections counted against its limit as they come and go, closed and no longer
 * accepting once closed. An in-memory listener cannot tell.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerStateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aTcpListenerCountsItsConnectionsAgainstItsLimitUntilItIsClosed() {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.builder().maxConnections(2).build());
        try {
            assertEquals(new ListenerState(true, true, true, 0, 2, 0), listener.state().orElseThrow());
            Transport first = Libchan.connect(listener.uri().toString());
            Transport server = listener.accept(WAIT);
            ListenerState one = listener.state().orElseThrow();
            assertEquals(1, one.connections());
            assertTrue(one.underLimit());
            first.close();
            server.closeFuture().handle((v, e) -> null).join();
            await().atMost(WAIT).until(() -> listener.state().orElseThrow().connections() == 0);
        } finally {
            listener.close();
        }
        ListenerState closed = listener.state().orElseThrow();
        assertFalse(closed.open());
        assertFalse(closed.acceptorAlive());
        assertFalse(closed.accepting());
    }

    @Test
    void aListenerAtItsLimitIsNotUnderIt() {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.builder().maxConnections(1).build());
                Transport client = Libchan.connect(listener.uri().toString())) {
            listener.accept(WAIT);
            ListenerState full = listener.state().orElseThrow();
            assertEquals(1, full.connections());
            assertFalse(full.underLimit());
            assertTrue(full.accepting(), "it still accepts, to refuse: readiness says not to send more");
        }
    }

    @Test
    void anInMemoryListenerCannotTell() {
        try (Listener listener = Libchan.listen("inmem:listener-state")) {
            assertEquals(Optional.empty(), listener.state());
        }
    }
}
