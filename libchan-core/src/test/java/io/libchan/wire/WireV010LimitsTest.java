package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static io.libchan.wire.RawSpdyPeer.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.MessageTooLargeException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynStreamFrame;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A message to a v0.1.0 peer is one DATA frame. Go v0.1.0 reads frames up to 2^24-1 bytes; jschan
 * (node-spdy) cannot take one over 64 KiB, so only a jschan peer is held to that (PROTOCOL.md
 * section 6). A server tells them apart by the HTTP headers node-spdy adds to every SYN_STREAM; a
 * client is told by its URI ({@code ?dialect=v0.1.0} or {@code jschan}).
 */
class WireV010LimitsTest {
    private static final int TEN_MIB = 10 << 20;
    private static final int OVER_64_KIB = 100 << 10;

    /** The echo request of PROTOCOL.md section 12 in v0.1.0: {"Cmd": cmd, "Ret": ext 1 [Sender, ref 3]}. */
    private static byte[] request(String cmd) {
        return Msgpack.map("Cmd", Msgpack.str(cmd), "Ret", hex("c7 05 01 02 00 00 00 03"));
    }

    /** Opens top-level stream 1 (ref 1) and its reply channel 3 (ref 3), with {@code extra} headers on both. */
    private static void openV010(RawSpdyPeer peer, String... extra) {
        peer.send(new SynStreamFrame(1, 0, 0, false, false, headers(extra, "libchan-parent-ref", "0", "libchan-ref", "1")));
        peer.send(new SynStreamFrame(3, 1, 0, false, false, headers(extra, "libchan-parent-ref", "1", "libchan-ref", "3")));
    }

    private static SpdyHeaders headers(String[] extra, String... libchan) {
        SpdyHeaders.Builder b = SpdyHeaders.builder();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            b.add(extra[i], extra[i + 1]);
        }
        for (int i = 0; i + 1 < libchan.length; i += 2) {
            b.add(libchan[i], libchan[i + 1]);
        }
        return b.build();
    }

    /** The request our server received on the peer's channel 1, and its reply channel. */
    private static Sender receiveRequest(Transport server) {
        Receiver channel = server.waitReceiveChannel(WAIT);
        Object request = channel.receive(Object.class, WAIT);
        return Messages.replyChannel(request).orElseThrow(() -> new AssertionError("no Sender in " + request));
    }

    @Test
    void aGoV010ClientGetsAReplyOfTenMebibytesInOneFrame() throws Exception {
        String big = "g".repeat(TEN_MIB);
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            openV010(go);
            go.sendData(1, request("hi"));

            receiveRequest(server).send(Map.of("Cmd", big));

            DataFrame reply = go.awaitData(3);
            assertArrayEquals(Msgpack.map("Cmd", Msgpack.str(big)), reply.data(), "the whole reply in one frame");
        }
    }

    @Test
    void aJschanClientIsHeldToSixtyFourKibibytes() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer jschan = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            // what node-spdy adds to the libchan headers of every stream jschan opens
            openV010(jschan, ":host", "127.0.0.1", ":method", "POST", ":path", "/", ":scheme", "https",
                    ":version", "HTTP/1.1");
            jschan.sendData(1, request("hi"));

            Sender ret = receiveRequest(server);
            assertThrows(MessageTooLargeException.class, () -> ret.send(Map.of("Cmd", "j".repeat(OVER_64_KIB))));
            ret.send(Map.of("Cmd", "small"));

            assertEquals(hex(Msgpack.map("Cmd", Msgpack.str("small"))), hex(jschan.awaitData(3).data()));
        }
    }

    /** The limit is exact: a message of 65,535 bytes is one DATA frame to jschan, one byte more is refused. */
    @Test
    void aJschanClientTakesAMessageOfSixtyFourKibibytesMinusOneAndNotOneByteMore() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer jschan = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            openV010(jschan, ":host", "127.0.0.1", ":method", "POST", ":path", "/", ":scheme", "https",
                    ":version", "HTTP/1.1");
            jschan.sendData(1, request("hi"));
            Sender ret = receiveRequest(server);

            // {"Cmd": str16}: 81, a3 "Cmd", da + 2-byte length: 8 bytes around the string
            assertThrows(MessageTooLargeException.class, () -> ret.send(Map.of("Cmd", "j".repeat(65_536 - 8))));
            ret.send(Map.of("Cmd", "j".repeat(65_535 - 8)));

            DataFrame frame = jschan.awaitData(3);
            assertEquals(65_535, frame.data().length, "the whole message in one frame");
            assertArrayEquals(Msgpack.map("Cmd", Msgpack.str("j".repeat(65_535 - 8))), frame.data());
        }
    }

    @Test
    void aClientPicksGoV010OrJschanLimitsByItsUri() throws Exception {
        String big = "c".repeat(TEN_MIB);
        try (RawSpdyPeer.Server peers = RawSpdyPeer.listen()) {
            String uri = peers.uri().toString();
            Transport jschan = Libchan.connect(uri + "?dialect=jschan");
            try (RawSpdyPeer peer = peers.accept()) {
                Sender channel = jschan.newSendChannel();
                assertThrows(MessageTooLargeException.class, () -> channel.send(Map.of("Cmd", "j".repeat(OVER_64_KIB))));
            } finally {
                jschan.abort();
            }
            Transport goV010 = Libchan.connect(uri + "?dialect=v0.1.0");
            try (RawSpdyPeer peer = peers.accept()) {
                goV010.newSendChannel().send(Map.of("Cmd", big));
                DataFrame message = peer.awaitData(1);
                assertArrayEquals(Msgpack.map("Cmd", Msgpack.str(big)), message.data(), "the whole message in one frame");
            } finally {
                goV010.abort();
            }
        }
    }
}
