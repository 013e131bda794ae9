package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynStreamFrame;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bearer token of PROTOCOL.md section 4.6: a client with {@link Settings#bearerToken()} sends
 * {@code authorization: Bearer <token>} on its first top-level SYN_STREAM only; a server reads it
 * from any top-level SYN_STREAM ({@link Receiver#bearerToken()}); a server that refuses the peer
 * resets that stream with REFUSED_STREAM, says GOAWAY with last-good-stream-id 0 and closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireBearerTokenTest {

    @Test
    void aClientSendsItsTokenOnItsFirstTopLevelStreamOnly() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri(), Settings.builder().bearerToken("s3cr.et-1").build());
                RawSpdyPeer peer = server.accept()) {
            Sender first = client.newSendChannel("a");
            first.send(Map.of("n", 1));
            Sender second = client.newSendChannel("b");
            second.send(Map.of("n", 2));
            SynStreamFrame one = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            SynStreamFrame three = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 3);
            assertEquals("Bearer s3cr.et-1", one.headers().get("authorization"));
            assertNull(three.headers().get("authorization"), "only the first top-level stream carries it");
        }
    }

    @Test
    void aServerReadsTheTokenOfEachTopLevelStream() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "authorization", "bearer go-token")));
                peer.send(SynStreamFrame.open(3, SpdyHeaders.of("libchan-ref", "3", "authorization", "Basic YTpi")));
                peer.send(SynStreamFrame.open(5, SpdyHeaders.of("libchan-ref", "5")));
                assertEquals(Optional.of("go-token"), server.waitReceiveChannel(WAIT).bearerToken(),
                        "the scheme name is case-insensitive");
                assertEquals(Optional.empty(), server.waitReceiveChannel(WAIT).bearerToken(), "another scheme");
                assertEquals(Optional.empty(), server.waitReceiveChannel(WAIT).bearerToken(), "no header");
            } finally {
                server.abort();
            }
        }
    }

    @Test
    void aRefusedPeerGetsRefusedStreamThenGoAwayAndTheConnectionCloses() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "authorization", "Bearer wrong")));
            Receiver first = server.waitReceiveChannel(WAIT);
            server.refuse(first);
            RstStreamFrame rst = peer.awaitRst(1);
            assertEquals(SpdyStatus.RST_REFUSED_STREAM, rst.status());
            GoAwayFrame goAway = RawSpdyPeer.goAwayIn(peer.expectClosed(WAIT));
            assertEquals(0, goAway.lastGoodStreamId(), "nothing of the peer's was processed");
            assertEquals(SpdyStatus.GOAWAY_OK, goAway.status());
            server.closeFuture().handle((v, e) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(server.isOpen());
        }
    }

    @Test
    void aJavaClientThatIsRefusedSeesItsChannelRefused() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                Transport client = Libchan.connect(listener.uri().toString())) {
            Sender channel = client.newSendChannel("trade");
            channel.send(Map.of("n", 1));
            Transport server = listener.accept(WAIT);
            server.refuse(server.waitReceiveChannel(WAIT));
            client.closeFuture().handle((v, e) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThrows(io.libchan.LibchanException.class, () -> channel.send(Map.of("n", 2)));
        }
    }

    @Test
    void aTokenIsNeverTakenFromAUri() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults().withUriParameters(URI.create("tcp://127.0.0.1:1?bearerToken=zz9-secret")));
        assertFalse(e.getMessage().contains("zz9-secret"), e.getMessage());
        assertTrue(e.getMessage().contains("Settings"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.builder().bearerToken("has space"));
        assertEquals(Optional.of("t"), Settings.builder().set("bearer-token", "t").build().bearerToken());
    }
}
