package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reply channels between Java peers (PROTOCOL.md section 8). Half-closed: to a peer known to be
 * Java, a Sender given away opens its stream with SYN_STREAM FIN and sends no FIN of its own
 * later; a Go peer (no {@code libchan-ext}) keeps getting the plain stream and our answering FIN;
 * the receiving side takes such a stream and finishes it at its own FIN. Implicit replies: a peer
 * that listed {@code implicit-reply} gets no SYN_REPLY for its nested streams, one that did not
 * gets every one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireHalfClosedReplyTest {
    private static final Duration QUIET = Duration.ofMillis(300);

    private static Map<String, Object> request(String cmd, Pipe ret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Cmd", cmd);
        m.put("Ret", ret.sender());
        return m;
    }

    /**
     * Sends a request with a fresh reply channel on {@code channel}, answers it from the raw server
     * (reply with FIN on it) and returns the reply channel's SYN_STREAM as the client wrote it.
     */
    private static SynStreamFrame roundTrip(RawSpdyPeer peer, Sender channel, String cmd) {
        Pipe ret = Pipe.create();
        channel.send(request(cmd, ret));
        SynStreamFrame nested = peer.awaitFrame(SynStreamFrame.class, f -> f.headers().get("libchan-parent-ref") != null);
        peer.awaitData(1);
        peer.send(new SynReplyFrame(nested.streamId(), false, SpdyHeaders.of(":status", "200")));
        peer.send(new DataFrame(nested.streamId(), true, Msgpack.map("Cmd", Msgpack.str(cmd))));
        assertEquals(Map.of("Cmd", cmd), ret.receiver().receive(Object.class, WAIT));
        assertThrows(EndOfChannelException.class, () -> ret.receiver().receive(Object.class, WAIT));
        return nested;
    }

    private static void closeCleanly(RawSpdyPeer peer, Transport client, Sender channel) {
        channel.close();
        peer.awaitFin(1);
        peer.sendFin(1);
        peer.sync();
        client.close();
        // every stream is done, so the session ends at once (a stream still open would hold it for the 10 s drain)
        assertEquals(SpdyStatus.GOAWAY_OK, RawSpdyPeer.goAwayIn(peer.expectClosed(WAIT)).status(), "frames: " + peer.received());
    }

    @Test
    void toAJavaPeerReplyChannelsOpenHalfClosedOnceItIsKnown() throws Exception {
        try (RawSpdyPeer.Server javaServer = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(javaServer.uri().toString());
            try (RawSpdyPeer peer = javaServer.accept()) {
                Sender channel = client.newSendChannel();
                Pipe first = Pipe.create();
                channel.send(request("first", first));
                SynStreamFrame top = peer.expectFrame(SynStreamFrame.class);
                assertTrue(top.headers().get("libchan-ext") != null, "our offer: " + top);
                SynStreamFrame firstRet = peer.expectFrame(SynStreamFrame.class);
                assertFalse(firstRet.fin(), "before the answer nothing says the peer is Java");
                peer.awaitData(1);
                // a Java server answers the offer
                peer.send(new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200", "libchan-ext", "channel-names")));
                peer.send(new SynReplyFrame(3, false, SpdyHeaders.of(":status", "200")));
                peer.send(new DataFrame(3, true, Msgpack.map("Cmd", Msgpack.str("first"))));
                assertEquals(Map.of("Cmd", "first"), first.receiver().receive(Object.class, WAIT));
                peer.awaitFin(3); // that stream was opened whole: our FIN still closes it

                for (int i = 0; i < 3; i++) {
                    SynStreamFrame ret = roundTrip(peer, channel, "request " + i);
                    assertTrue(ret.fin(), "reply channel opened half-closed: " + ret);
                    peer.expectNone(DataFrame.class, d -> d.streamId() == ret.streamId(), QUIET);
                }
                closeCleanly(peer, client, channel);
            } finally {
                client.abort();
            }
        }
    }

    @Test
    void toAGoPeerReplyChannelsStayPlainAndGetOurFin() throws Exception {
        try (RawSpdyPeer.Server goServer = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(goServer.uri().toString());
            try (RawSpdyPeer go = goServer.accept()) {
                Sender channel = client.newSendChannel();
                channel.send(Map.of("Cmd", "hello"));
                go.awaitData(1);
                go.send(new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200"))); // no libchan-ext
                for (int i = 0; i < 3; i++) {
                    SynStreamFrame ret = roundTrip(go, channel, "request " + i);
                    assertFalse(ret.fin(), "a Go peer gets a whole stream: " + ret);
                    go.awaitFin(ret.streamId());
                }
                closeCleanly(go, client, channel);
            } finally {
                client.abort();
            }
        }
    }

    /** Runs {@code test} against our echo server, from a raw client that opened stream 1 offering {@code ext}. */
    private static void againstOurServer(String ext, RawSpdyPeer.AgainstOurServer test) throws Exception {
        RawSpdyPeer.againstOurServer(ext, (peer, server, top) -> {
            try (AutoCloseable echo = EchoApp.serve(server)) {
                test.run(peer, server, top);
            }
        });
    }

    /**
     * Sends request {@code i} on stream 1 with its reply channel, stream 3 + 2i (ref 2 + i), whose
     * SYN_STREAM carries FIN when {@code halfClosed}; returns the reply channel's stream id.
     */
    private static int sendRequest(RawSpdyPeer peer, int i, boolean halfClosed) {
        int retId = 3 + 2 * i;
        long retRef = 2 + i;
        peer.send(new SynStreamFrame(retId, 0, 0, halfClosed, false,
                SpdyHeaders.of("libchan-parent-ref", "1", "libchan-ref", Long.toString(retRef))));
        peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("request " + i), "Ret", Msgpack.ext(4, retRef)));
        return retId;
    }

    /** The echo of request {@code i} on {@code retId}, then the FIN that closes it. */
    private static void expectReply(RawSpdyPeer peer, int retId, int i) {
        DataFrame reply = peer.awaitData(retId);
        assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("request " + i))), RawSpdyPeer.hex(reply.data()));
        peer.awaitFin(retId);
    }

    @Test
    void aJavaServerAnswersOnAHalfClosedReplyChannelAndFinishesIt() throws Exception {
        againstOurServer("channel-names", (peer, server, top) -> {
            for (int i = 0; i < 3; i++) {
                int retId = sendRequest(peer, i, true);
                peer.awaitSynReply(retId); // no implicit-reply in the offer: every stream is answered
                expectReply(peer, retId, i);
            }
            // no FIN of ours on 3, 5, 7: the server's streams are done all the same, so the
            // session ends as soon as the top-level channel is
            peer.closeChannelOneAndGoAway(server);
        });
    }

    @Test
    void aPeerThatListedImplicitReplyGetsNoSynReplyForItsNestedStreams() throws Exception {
        againstOurServer("implicit-reply", (peer, server, top) -> {
            assertEquals("implicit-reply", top.headers().get("libchan-ext")); // top-level streams are always answered
            for (int i = 0; i < 3; i++) {
                int retId = sendRequest(peer, i, false);
                expectReply(peer, retId, i);
                peer.sendFin(retId);
            }
            assertTrue(peer.received().stream().noneMatch(f -> f instanceof SynReplyFrame && f.streamId() != 1),
                    "SYN_REPLY for a nested stream: " + peer.received());
        });
    }

    @Test
    void ourClientSendsNoSynReplyForTheNestedStreamsOfAServerThatListedImplicitReply() throws Exception {
        try (RawSpdyPeer.Server javaServer = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(javaServer.uri().toString());
            try (RawSpdyPeer peer = javaServer.accept()) {
                Sender channel = client.newSendChannel();
                channel.send(Map.of("Cmd", "hello"));
                SynStreamFrame top = peer.expectFrame(SynStreamFrame.class);
                assertTrue(List.of(top.headers().get("libchan-ext").split(",")).contains("implicit-reply"), "our offer: " + top);
                peer.awaitData(1);
                peer.send(new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200", "libchan-ext", "implicit-reply")));
                for (int i = 0; i < 3; i++) {
                    Pipe ret = Pipe.create();
                    channel.send(request("request " + i, ret));
                    SynStreamFrame nested = peer.awaitFrame(SynStreamFrame.class, f -> f.headers().get("libchan-parent-ref") != null);
                    peer.awaitData(1);
                    // the server answers with a channel of its own, a Receiver for the client
                    int subId = 2 + 2 * i;
                    long subRef = 100 + i;
                    peer.send(new SynStreamFrame(subId, 0, 0, false, false, SpdyHeaders.of(
                            "libchan-parent-ref", nested.headers().get("libchan-ref"), "libchan-ref", Long.toString(subRef))));
                    peer.send(new DataFrame(nested.streamId(), true, Msgpack.map("Sub", Msgpack.ext(5, subRef))));
                    peer.send(new DataFrame(subId, true, Msgpack.map("I", Msgpack.str("event " + i))));
                    Object reply = ret.receiver().receive(Object.class, WAIT);
                    Receiver sub = (Receiver) ((Map<?, ?>) reply).get("Sub");
                    assertEquals(Map.of("I", "event " + i), sub.receive(Object.class, WAIT));
                    assertThrows(EndOfChannelException.class, () -> sub.receive(Object.class, WAIT));
                    peer.awaitFin(subId); // our side of the server's stream still closes
                }
                assertTrue(peer.received().stream().noneMatch(SynReplyFrame.class::isInstance),
                        "SYN_REPLY for a stream the server opened: " + peer.received());
                closeCleanly(peer, client, channel);
            } finally {
                client.abort();
            }
        }
    }
}
