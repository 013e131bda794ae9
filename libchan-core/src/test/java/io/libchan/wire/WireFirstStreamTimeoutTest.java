package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
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

/**
 * A raw listener closes a session in which no top-level channel opens within
 * {@code firstStreamTimeout} (PROTOCOL.md section 4.6): GOAWAY (last-good 0, status OK), then the
 * connection ends. Each test waits for the connection's end, never for a span of time; the deadline
 * is short so that they do not take long.
 */
@Timeout(60)
class WireFirstStreamTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Settings SHORT = Settings.builder().firstStreamTimeout(Duration.ofMillis(300)).build();

    @Test
    void aPeerThatSendsNothingIsToldToGoAwayAndDisconnected() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), SHORT);
                RawSpdyPeer silent = RawSpdyPeer.connect(listener.uri())) {
            Transport session = listener.accept(WAIT);

            GoAwayFrame goAway = RawSpdyPeer.goAwayIn(silent.expectClosed(WAIT));
            assertEquals(0, goAway.lastGoodStreamId());
            assertEquals(SpdyStatus.GOAWAY_OK, goAway.status());
            session.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, ((io.libchan.internal.nio.NioListener) listener).openConnections(), "its seat is free again");
        }
    }

    /** PINGs, its own and the answers to the server's keep-alive, do not keep a session without a channel. */
    @Test
    void aPeerThatOnlyPingsIsDisconnectedAllTheSame() throws Exception {
        Settings pinging = SHORT.toBuilder().keepAliveInterval(Duration.ofMillis(50)).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), pinging);
                RawSpdyPeer pinger = RawSpdyPeer.connectAnsweringPings(listener.uri())) {
            // ping-pong until the server ends the connection: sync() fails once it has (the end read,
            // or a PING written to the closed socket)
            assertThrows(AssertionError.class, () -> {
                while (true) {
                    pinger.sync();
                }
            });
            pinger.expectClosed(WAIT);
            GoAwayFrame goAway = RawSpdyPeer.goAwayIn(pinger.received());
            assertEquals(0, goAway.lastGoodStreamId());
        }
    }

    /**
     * A session whose peer opened a channel, or to whose peer the application opened one, is
     * served past the deadline: a silent connection made after both is closed first, and then both
     * still carry messages.
     */
    @Test
    void aChannelOpenedByEitherSideKeepsTheSession() throws Exception {
        // long enough for the channels to open first on a loaded machine; the test waits this long once
        Settings deadline = Settings.builder().firstStreamTimeout(Duration.ofSeconds(2)).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), deadline)) {
            Transport opener = Libchan.connect(listener.uri().toString());
            Sender up = opener.newSendChannel();
            up.send(Map.of("n", 1));
            Transport atOpener = listener.accept(WAIT);
            Receiver upAtServer = atOpener.waitReceiveChannel(WAIT);
            assertEquals(Map.of("n", 1L), upAtServer.receive(Map.class, WAIT));

            Transport waiter = Libchan.connect(listener.uri().toString());
            Transport atWaiter = listener.accept(WAIT);
            Sender down = atWaiter.newSendChannel();
            down.send(Map.of("n", 2));
            Receiver downAtClient = waiter.waitReceiveChannel(WAIT);
            assertEquals(Map.of("n", 2L), downAtClient.receive(Map.class, WAIT));

            try (RawSpdyPeer silent = RawSpdyPeer.connect(listener.uri())) {
                silent.expectClosed(WAIT); // the deadline of the later connection has passed
            }

            up.send(Map.of("n", 3));
            assertEquals(Map.of("n", 3L), upAtServer.receive(Map.class, WAIT));
            down.send(Map.of("n", 4));
            assertEquals(Map.of("n", 4L), downAtClient.receive(Map.class, WAIT));
            opener.close();
            waiter.close();
        }
    }

    /** Zero: no deadline. A silent connection outlives one made later to a listener with a deadline. */
    @Test
    void zeroMeansNoDeadline() throws Exception {
        Settings none = Settings.builder().firstStreamTimeout(Duration.ZERO).build();
        try (Listener patient = Libchan.listen(URI.create("tcp://127.0.0.1:0"), none);
                Listener strict = Libchan.listen(URI.create("tcp://127.0.0.1:0"), SHORT);
                RawSpdyPeer waiting = RawSpdyPeer.connectAnsweringPings(patient.uri())) {
            waiting.sync();
            try (RawSpdyPeer silent = RawSpdyPeer.connect(strict.uri())) {
                silent.expectClosed(WAIT);
            }
            waiting.sync(); // still served
        }
    }

    @Test
    void theSettingIsReadByNameAndFromTheListenUri() {
        assertEquals(Duration.ofSeconds(3), Settings.builder().set("first-stream-timeout", "3s").build().firstStreamTimeout());
        assertEquals(Duration.ofMillis(250), Settings.defaults()
                .withUriParameters(URI.create("tcp://127.0.0.1:0?firstStreamTimeout=250ms")).firstStreamTimeout());
        assertEquals(Duration.ofSeconds(10), Settings.defaults().firstStreamTimeout());
    }
}
