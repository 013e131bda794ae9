package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.SpdyStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a listener does past its limits, as a peer sees it on the wire. */
@Timeout(60)
class WireListenerLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * Past maxConnections a new connection gets a GOAWAY that took none of its streams (last-good
     * 0, status OK: it may try again later) and is closed at once; the connections it holds are
     * served on, and once one ends, a new one is taken again.
     */
    @Test
    void pastMaxConnectionsANewConnectionIsToldToGoAwayAndTheOthersAreServed() throws Exception {
        Settings two = Settings.builder().maxConnections(2).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), two)) {
            Transport first = Libchan.connect(listener.uri().toString());
            Transport atFirst = listener.accept(WAIT);
            Transport second = Libchan.connect(listener.uri().toString());
            Transport atSecond = listener.accept(WAIT);

            try (RawSpdyPeer third = RawSpdyPeer.connect(listener.uri())) {
                GoAwayFrame goAway = RawSpdyPeer.goAwayIn(third.expectClosed(WAIT));
                assertEquals(0, goAway.lastGoodStreamId());
                assertEquals(SpdyStatus.GOAWAY_OK, goAway.status());
            }

            first.newSendChannel().send(Map.of("n", 1));
            assertEquals(Map.of("n", 1L), atFirst.waitReceiveChannel(WAIT).receive(Map.class, WAIT), "held ones are served");

            second.close();
            atSecond.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // the listener counts a connection gone once its session ended; its count may lag the
            // end by a callback, so a connection refused meanwhile is tried again
            assertTakenWithin(listener, 100);
            first.close();
        }
    }

    private static void assertTakenWithin(Listener listener, int attempts) throws Exception {
        for (int attempt = 0; attempt < attempts; attempt++) {
            try (RawSpdyPeer probe = RawSpdyPeer.connect(listener.uri())) {
                probe.sync(); // a PING answered: the server took the connection (a refused one is closed at once)
                return;
            } catch (AssertionError refused) {
                // refused: the count had not caught up yet
            }
        }
        throw new AssertionError("no connection was taken after another ended");
    }
}
