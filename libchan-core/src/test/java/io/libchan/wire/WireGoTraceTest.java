package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static io.libchan.wire.RawSpdyPeer.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.PingFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.SpdyFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.internal.spdy.WindowUpdateFrame;
import io.libchan.testing.Parked;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exchange of go-peer-wire.md §1 (test resources; Go HEAD echo client and server) replayed against our
 * implementation byte for byte, in both roles, plus the v0.1.0 variant and HEAD's continuous
 * message framing.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WireGoTraceTest {
    // C->S, as the Go HEAD client wrote them (compressed header blocks included)
    static final byte[] C2S_SYN_STREAM_1 = hex("80 03 00 01 00 00 00 2a 00 00 00 01 00 00 00 00 00 00"
            + " 78 f9 e3 c6 a7 c2 62 60 60 60 04 65 9d 9c cc a4 e4 8c c4 3c dd a2 d4 34 90 90 11 00 00 00 ff ff");
    static final byte[] C2S_SYN_STREAM_3 = hex("80 03 00 01 00 00 00 22 00 00 00 03 00 00 00 00 00 00"
            + " 02 e5 1a 2c e2 c6 a0 7c 0a 13 2b 48 2c 02 17 48 50 2d 00 00 00 00 ff ff");
    static final byte[] C2S_DATA_1 = hex("00 00 00 01 00 00 00 12"
            + " 82 a3 43 6d 64 a2 68 69 a3 52 65 74 d6 04 00 00 00 03");
    // S->C, as the Go HEAD server wrote them (its own compression context)
    static final byte[] S2C_SYN_REPLY_3 = hex("80 03 00 02 00 00 00 1e 00 00 00 03"
            + " 78 f9 e3 c6 a7 c2 62 60 60 60 04 a5 47 2b 78 22 65 36 32 30 00 00 00 00 ff ff");
    static final byte[] S2C_SYN_REPLY_1 = hex("80 03 00 02 00 00 00 0c 00 00 00 01 c2 2e 0a 00 00 00 ff ff");
    static final byte[] S2C_DATA_3 = hex("00 00 00 03 00 00 00 08 81 a3 43 6d 64 a2 68 69");
    // both directions
    static final byte[] FIN_3 = hex("00 00 00 03 01 00 00 00");
    static final byte[] FIN_1 = hex("00 00 00 01 01 00 00 00");
    static final byte[] GOAWAY = hex("80 03 00 07 00 00 00 08 00 00 00 00 00 00 00 00");

    static final String REQUEST = "82 a3 43 6d 64 a2 68 69 a3 52 65 74 d6 04 00 00 00 03"; // {"Cmd":"hi","Ret":ext4 ref 3}
    static final String REPLY = "81 a3 43 6d 64 a2 68 69";                                 // {"Cmd":"hi"}

    // ------------------------------------------------------------------ Go client -> our server

    @Test
    void goHeadClientTraceReplayedByteForByteGetsTheGoServersAnswer() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);

            go.sendVerbatim(C2S_SYN_STREAM_1, C2S_SYN_STREAM_3, C2S_DATA_1);

            // the application: receive the request, answer on Ret, close Ret
            Receiver channel = server.waitReceiveChannel(WAIT);
            Object request = channel.receive(Object.class, WAIT);
            assertEquals("hi", Messages.field(request, "Cmd").orElseThrow());
            Sender ret = Messages.replyChannel(request).orElseThrow(() -> new AssertionError("no Sender in " + request));
            ret.send(Map.of("Cmd", "hi"));
            ret.close();

            // on the wire: SYN_REPLY :status 200 for both streams, before any DATA on stream 3
            Set<Integer> replied = new TreeSet<>();
            DataFrame reply;
            while (true) {
                SpdyFrame f = go.next(WAIT);
                if (f instanceof SynReplyFrame r) {
                    assertEquals(SpdyHeaders.of(":status", "200"), r.headers(), "SYN_REPLY headers on " + r.streamId());
                    assertFalse(r.fin(), "SYN_REPLY with FIN");
                    replied.add(r.streamId());
                } else if (f instanceof DataFrame d && d.streamId() == 3) {
                    reply = d;
                    break;
                } else if (!(f instanceof SettingsFrame || f instanceof WindowUpdateFrame)) {
                    fail("unexpected " + f + " in " + go.received());
                }
            }
            assertInstanceOf(SettingsFrame.class, go.received().get(0), "our first frame is SETTINGS (Go ignores it)");
            assertEquals(Set.of(1, 3), replied, "SYN_REPLY before the first DATA on stream 3");
            assertEquals(REPLY, hex(reply.data()));
            if (!reply.fin()) { // the FIN rides on the reply when both were queued before a write
                assertEquals(DataFrame.fin(3), go.expectFrame(DataFrame.class), "our FIN on Ret");
            }

            // the Go client's Receive hits EOF (FIN 3), then it closes its sender (FIN 1)
            go.sendVerbatim(FIN_3, FIN_1);
            assertEquals(DataFrame.fin(1), go.expectFrame(DataFrame.class), "our FIN answering the client's close");
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));

            // and its Transport.Close(): GOAWAY; every stream is done, so we end the session cleanly
            go.sendVerbatim(GOAWAY);
            List<SpdyFrame> atEnd = go.expectClosed(WAIT);
            assertTrue(atEnd.stream().noneMatch(f -> f instanceof RstStreamFrame || f instanceof GoAwayFrame
                    || f instanceof DataFrame), "nothing more after the exchange: " + atEnd);
            assertFalse(server.isOpen());
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT),
                    "a clean end stays end-of-channel, never connection-lost");
            assertThrows(ChannelClosedException.class, () -> server.waitReceiveChannel(WAIT));
        }
    }

    /**
     * jschan on node 0.10 opens a reply channel's stream after the message that names it. The
     * application, which was waiting for that stream, answers the moment it opens: our SYN_REPLY
     * must still come before that answer's DATA, or node-spdy drops the answer.
     */
    @Test
    void aReplyChannelThatOpensLateGetsItsSynReplyBeforeTheReply() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri());
                EchoApp app = EchoApp.serve(listener.accept(WAIT))) {
            peer.openChannel(1, 2);
            for (int i = 0; i < 40; i++) {
                int retId = 3 + 2 * i;
                long retRef = 3 + i;
                peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("late"), "Ret", Msgpack.ext(4, retRef)));
                // the application now waits for the reply channel's stream (SpdySession.awaitPeerRef)
                Parked.awaitIn("awaitPeerRef");
                peer.openNested(retId, 2, retRef);
                DataFrame reply = peer.awaitData(retId);
                assertEquals(hex(Msgpack.map("Cmd", Msgpack.str("late"))), hex(reply.data()));
                List<SpdyFrame> seen = peer.received();
                int synReply = -1;
                for (int k = 0; k < seen.size(); k++) {
                    if (seen.get(k) instanceof SynReplyFrame r && r.streamId() == retId) {
                        synReply = k;
                    }
                }
                assertTrue(synReply >= 0 && synReply < seen.indexOf(reply),
                        "SYN_REPLY " + retId + " before its DATA, round " + i + ": " + seen.subList(Math.max(0, seen.size() - 6), seen.size()));
                peer.awaitFin(retId);
                peer.sendFin(retId);
            }
        }
    }

    // ------------------------------------------------------------------ our client -> Go server

    @Test
    void ourClientWritesTheGoClientsFramesAndTakesTheGoServersAnswer() throws Exception {
        try (RawSpdyPeer.Server goServer = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(goServer.uri().toString());
            try (RawSpdyPeer go = goServer.accept()) {
                Sender channel = client.newSendChannel();
                Pipe ret = Pipe.create();
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("Cmd", "hi");
                request.put("Ret", ret.sender());
                channel.send(request);

                SynStreamFrame top = go.expectFrame(SynStreamFrame.class);
                assertInstanceOf(SettingsFrame.class, go.received().get(0), "our first frame is SETTINGS");
                assertEquals(1, top.streamId());
                assertEquals(0, top.associatedStreamId());
                assertFalse(top.fin() || top.unidirectional());
                assertEquals("2", top.headers().get("libchan-ref"));
                assertNull(top.headers().get("libchan-parent-ref"), "HEAD marks no top-level parent");
                for (SpdyHeaders.Header h : top.headers().asList()) {
                    assertTrue(Set.of("libchan-ref", "libchan-ext").contains(h.name()), "unexpected header " + h);
                }

                SynStreamFrame nested = go.expectFrame(SynStreamFrame.class);
                assertEquals(3, nested.streamId());
                assertEquals(0, nested.associatedStreamId(), "HEAD never sets assoc-stream-id");
                assertEquals(List.of("libchan-parent-ref", "libchan-ref"),
                        nested.headers().asList().stream().map(SpdyHeaders.Header::name).sorted().toList());
                assertEquals("2", nested.headers().get("libchan-parent-ref"));
                assertEquals("3", nested.headers().get("libchan-ref"));

                DataFrame data = go.expectFrame(DataFrame.class);
                assertEquals(1, data.streamId());
                assertFalse(data.fin());
                assertEquals(REQUEST, hex(data.data()));

                // the Go server's answer, verbatim
                go.sendVerbatim(S2C_SYN_REPLY_3, S2C_SYN_REPLY_1, S2C_DATA_3, FIN_3);
                assertEquals(Map.of("Cmd", "hi"), ret.receiver().receive(Object.class, WAIT));
                assertThrows(EndOfChannelException.class, () -> ret.receiver().receive(Object.class, WAIT));
                assertEquals(DataFrame.fin(3), go.expectFrame(DataFrame.class), "our FIN once Ret hit its end");

                channel.close();
                assertEquals(DataFrame.fin(1), go.expectFrame(DataFrame.class));
                go.sendVerbatim(FIN_1);
                go.sync(); // FIN 1 handled: every stream is done when Close() comes
                client.close();
                List<SpdyFrame> atEnd = go.expectClosed(WAIT);
                assertEquals(List.of(new GoAwayFrame(0, 0)), atEnd.stream()
                        .filter(f -> !(f instanceof SettingsFrame || f instanceof WindowUpdateFrame || f instanceof PingFrame))
                        .toList(), "GOAWAY last-good=0 status=0 as in the trace, then the connection closes");
                assertFalse(client.isOpen());
            } finally {
                client.abort();
            }
        }
    }

    /**
     * The end of the trace with its two last steps crossing: the server's FIN on the top-level
     * stream arrives while the client calls Close(). The client must still say goodbye with GOAWAY
     * before closing the connection (a Java server otherwise reports the connection as lost).
     * Repeated because the crossing is a race.
     */
    @Test
    void closeCrossingTheLastFinStillSendsGoAway() throws Exception {
        try (RawSpdyPeer.Server goServer = RawSpdyPeer.listen()) {
            for (int round = 0; round < 200; round++) {
                Transport client = Libchan.connect(goServer.uri().toString());
                try (RawSpdyPeer go = goServer.accept()) {
                    Sender channel = client.newSendChannel();
                    channel.send(Map.of("Cmd", "hi"));
                    go.awaitData(1);
                    go.send(new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200")));
                    channel.close();
                    go.awaitFin(1);

                    go.sendFin(1);
                    client.close();

                    List<SpdyFrame> atEnd = go.expectClosed(WAIT);
                    assertTrue(atEnd.contains(new GoAwayFrame(0, 0)),
                            "round " + round + ": the connection closed without GOAWAY; frames: " + go.received());
                } finally {
                    client.abort();
                }
            }
        }
    }

    // ------------------------------------------------------------------ v0.1.0

    @Test
    void v010RequestIsDetectedAndAnsweredInThatDialect() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer old = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);

            old.send(new SynStreamFrame(1, 0, 0, false, false,
                    SpdyHeaders.of("libchan-parent-ref", "0", "libchan-ref", "1")));
            old.send(new SynStreamFrame(3, 1, 0, false, false,
                    SpdyHeaders.of("libchan-parent-ref", "1", "libchan-ref", "3")));
            // {"Cmd":"hi","Ret": ext1 [direction 2 = you get a Sender, id 3]}
            old.sendData(1, hex("82 a3 43 6d 64 a2 68 69 a3 52 65 74 c7 05 01 02 00 00 00 03"));

            Receiver channel = server.waitReceiveChannel(WAIT);
            Object request = channel.receive(Object.class, WAIT);
            assertEquals("hi", Messages.field(request, "Cmd").orElseThrow());
            Sender ret = Messages.replyChannel(request).orElseThrow(() -> new AssertionError("no Sender in " + request));
            ret.send(Map.of("Cmd", "hi"));
            ret.close();

            Set<Integer> replied = new TreeSet<>();
            DataFrame reply;
            while (true) {
                SpdyFrame f = old.next(WAIT);
                if (f instanceof SynReplyFrame r) {
                    String status = r.headers().get(":status") != null ? r.headers().get(":status") : r.headers().get("status");
                    assertTrue(status != null && status.startsWith("200"), "reply status in " + r);
                    replied.add(r.streamId());
                } else if (f instanceof DataFrame d && d.streamId() == 3) {
                    reply = d;
                    break;
                } else if (!(f instanceof SettingsFrame || f instanceof WindowUpdateFrame)) {
                    fail("unexpected " + f + " in " + old.received());
                }
            }
            assertEquals(Set.of(1, 3), replied);
            assertEquals(REPLY, hex(reply.data()), "one message, one DATA frame");
            if (!reply.fin()) { // the FIN rides on the reply when both were queued before a write
                assertEquals(DataFrame.fin(3), old.expectFrame(DataFrame.class));
            }

            old.sendFin(3);
            old.sendFin(1);
            assertEquals(DataFrame.fin(1), old.expectFrame(DataFrame.class));
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));
        }
    }

    // ------------------------------------------------------------------ HEAD continuous framing

    @Test
    void aMessageSplitOverDataFramesAtAnyPointArrivesWhole() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            byte[] message = Msgpack.map("Cmd", Msgpack.str("split"), "N", Msgpack.int16(300),
                    "Pad", Msgpack.str("x".repeat(40)));
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("Cmd", "split");
            expected.put("N", 300L);
            expected.put("Pad", "x".repeat(40));

            go.openChannel(1, 2);
            // every split point once, then a three-way split
            for (int cut = 1; cut < message.length; cut++) {
                go.sendData(1, Arrays.copyOfRange(message, 0, cut));
                go.sendData(1, Arrays.copyOfRange(message, cut, message.length));
            }
            go.sendData(1, Arrays.copyOfRange(message, 0, 1));
            go.sendData(1, Arrays.copyOfRange(message, 1, 2));
            go.sendData(1, Arrays.copyOfRange(message, 2, message.length));
            go.sendFin(1);

            Receiver channel = server.waitReceiveChannel(WAIT);
            for (int i = 0; i < message.length; i++) {
                assertEquals(expected, channel.receive(Object.class, WAIT), "message " + i);
            }
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));
        }
    }

    @Test
    void severalMessagesInOneDataFrameAllArriveInOrder() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            byte[] one = Msgpack.map("Cmd", Msgpack.str("one"));
            byte[] two = Msgpack.map("Cmd", Msgpack.str("two"));
            byte[] three = Msgpack.map("Cmd", Msgpack.str("three"));
            byte[] four = Msgpack.map("Cmd", Msgpack.str("four"));

            go.openChannel(1, 2);
            go.sendData(1, RawSpdyPeer.concat(one, two, three, Arrays.copyOf(four, 3)));
            go.sendData(1, Arrays.copyOfRange(four, 3, four.length));
            go.sendFin(1);

            Receiver channel = server.waitReceiveChannel(WAIT);
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(Messages.field(channel.receive(Object.class, WAIT), "Cmd").orElseThrow());
            }
            assertEquals(List.of("one", "two", "three", "four"), got);
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));
        }
    }
}
