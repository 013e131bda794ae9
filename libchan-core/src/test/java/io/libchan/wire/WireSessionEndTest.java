package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a session ends when its peer leaves or its input cannot be handled, as a server's application sees it. */
@Timeout(60)
class WireSessionEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * A Receiver nested in a request, whose peer half-closed the connection before that Receiver's
     * last frame, fails at once with ConnectionLostException, even when the application decodes the
     * request only after the session ended (it parked forever: a thread leaked per such session).
     */
    @Test
    void aNestedReceiverDecodedAfterThePeerLeftFailsAtOnce() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            peer.openChannel(1, 1);
            peer.openNested(3, 1, 3);
            peer.sendData(3, Msgpack.str("before"));
            peer.sendData(1, Msgpack.map("Items", Msgpack.ext(5, 3)));
            Receiver requests = server.waitReceiveChannel(WAIT);
            peer.shutdownOutput(); // the Receiver's last frame never comes

            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> server.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(ConnectionLostException.class, ended.getCause());
            Map<?, ?> request = requests.receive(Map.class, WAIT); // whole before the end: still delivered
            Receiver items = (Receiver) request.get("Items");
            assertEquals("before", items.receive(String.class, WAIT));
            // not ChannelTimeoutException after the wait: the end is known already
            assertThrows(ConnectionLostException.class, () -> items.receive(Object.class, WAIT));
        }
    }

    /**
     * An Error while one session's input is handled on an I/O thread (an OutOfMemoryError here)
     * ends that session with GOAWAY INTERNAL_ERROR and nothing else: another session on the same
     * listener goes on, new connections are taken, and no stack trace reaches an
     * uncaught-exception handler.
     */
    @Test
    void anErrorInOneSessionEndsThatSessionOnly() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        Settings faulty = Settings.builder().codec(FaultyCodec.NAME).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), faulty)) {
            Transport good = Libchan.connect(listener.uri().toString());
            Transport goodServer = listener.accept(WAIT);
            Sender toGood = good.newSendChannel();
            toGood.send(Map.of("n", 1));
            Receiver atGood = goodServer.waitReceiveChannel(WAIT);
            assertEquals(Map.of("n", 1L), atGood.receive(Map.class, WAIT));

            try (RawSpdyPeer bad = RawSpdyPeer.connect(listener.uri())) {
                Transport badServer = listener.accept(WAIT);
                // the listener's codec is the session's once the client offers it (PROTOCOL.md section 8)
                bad.send(io.libchan.internal.spdy.SynStreamFrame.open(1, io.libchan.internal.spdy.SpdyHeaders.of(
                        "libchan-ref", "1", "libchan-ext", "codec=" + FaultyCodec.NAME)));
                bad.sendData(1, Msgpack.str(FaultyCodec.MARKER));
                GoAwayFrame goAway = RawSpdyPeer.goAwayIn(bad.expectClosed(WAIT));
                assertEquals(SpdyStatus.GOAWAY_INTERNAL_ERROR, goAway.status(), "frames: " + bad.received());
                ExecutionException ended = assertThrows(ExecutionException.class,
                        () -> badServer.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(ConnectionLostException.class, ended.getCause());
            }

            toGood.send(Map.of("n", 2));
            assertEquals(Map.of("n", 2L), atGood.receive(Map.class, WAIT), "the other session goes on");
            Transport late = Libchan.connect(listener.uri().toString());
            late.newSendChannel().send(Map.of("n", 3));
            assertEquals(Map.of("n", 3L), listener.accept(WAIT).waitReceiveChannel(WAIT).receive(Map.class, WAIT),
                    "the listener takes new connections");
            late.close();
            good.close();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }
}
