package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynStreamFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session that went away (GOAWAY, sent or received) ends: once every stream is done, where a
 * stream we pushed (v0.1.0) is done once our half is, since SPDY/3 gives its receiver no FIN to
 * send; and at the latest after {@code drainTimeout}, whoever sent the GOAWAY, when the peer never
 * finishes a stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireGoAwayDrainTest {
    private static final Duration DRAIN = Duration.ofMillis(300);

    /** Issue 15 item 10: the peer's GOAWAY with a channel it never finishes. */
    @Test
    void sessionWhosePeerWentAwayWithoutFinishingEndsAfterTheDrainTimeout() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"),
                Settings.builder().drainTimeout(DRAIN).build());
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            peer.openChannel(1, 2);
            peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("then nothing")));
            Receiver channel = server.waitReceiveChannel(WAIT);
            assertEquals(Map.of("Cmd", "then nothing"), channel.receive(Object.class, WAIT));
            peer.send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK)); // and never a FIN on stream 1

            peer.expectClosed(WAIT);
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> server.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(ConnectionLostException.class, ended.getCause());
            assertTrue(ended.getCause().getMessage().contains("drain timeout"), ended.getCause().getMessage());
            assertThrows(ConnectionLostException.class, () -> channel.receive(Object.class, WAIT));
        }
    }

    /** Our own GOAWAY with a channel the peer never finishes: the same bound. */
    @Test
    void sessionThatWentAwayItselfEndsAfterTheDrainTimeout() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"),
                Settings.builder().drainTimeout(DRAIN).build());
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            peer.openChannel(1, 2);
            server.waitReceiveChannel(WAIT);
            server.close();
            assertEquals(SpdyStatus.GOAWAY_OK, RawSpdyPeer.goAwayIn(peer.expectClosed(WAIT)).status());
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> server.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(ConnectionLostException.class, ended.getCause());
        }
    }

    /**
     * Issue 15 item 11: in the v0.1.0 dialect our server pushes the Receiver it sends
     * (UNIDIRECTIONAL); a client that follows SPDY/3 never sends on it, not even a FIN. After the
     * client's GOAWAY the session still ends at once, cleanly (the drain timeout here is a minute).
     */
    @Test
    void pushedStreamTheClientNeverFinishesDoesNotHoldTheSession() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"),
                Settings.builder().drainTimeout(Duration.ofSeconds(60)).build());
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-parent-ref", "0", "libchan-ref", "1")));
            peer.send(new SynStreamFrame(3, 1, 0, false, false, SpdyHeaders.of("libchan-parent-ref", "1", "libchan-ref", "3")));
            peer.sendData(1, Msgpack.map("cmd", Msgpack.str("subscribe"), "ret", RawSpdyPeer.hex("c7 05 01 02 00 00 00 03")));

            Object request = server.waitReceiveChannel(WAIT).receive(Object.class, WAIT);
            Sender ret = Messages.replyChannel(request).orElseThrow();
            Pipe events = Pipe.buffered(1);
            ret.send(Map.of("sub", events.receiver()));
            events.sender().send(Map.of("event", 1));
            events.sender().close();
            ret.close();

            SynStreamFrame push = peer.awaitFrame(SynStreamFrame.class, f -> true);
            assertTrue(push.unidirectional() && push.associatedStreamId() == 3, "a push tied to the reply channel: " + push);
            assertEquals(RawSpdyPeer.hex(Msgpack.map("event", new byte[] {1})), RawSpdyPeer.hex(peer.payloadUntilFin(push.streamId())));
            peer.awaitFin(3);
            peer.sendFin(3);
            peer.sendFin(1);
            peer.awaitFin(1);
            peer.send(new GoAwayFrame(push.streamId(), SpdyStatus.GOAWAY_OK)); // nothing, ever, on the pushed stream

            peer.expectClosed(WAIT);
            server.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS); // a clean end
        }
    }
}
