package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every message we refuse is answered, and every stream it named is reset (PROTOCOL.md section
 * 9), so a Go client waiting on its {@code ret} learns the request failed instead of waiting
 * forever; and late frames get the answer the spec gives them. The raw client behaves as
 * go-peer-wire.md (test resources) describes the Go client: the streams a message names are opened (SYN_STREAM)
 * before the DATA frame that carries it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireRefusalTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    /** A raw client connected to an echo server with {@code settings}. */
    private RawSpdyPeer echoPeer(Settings settings) throws IOException {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
        cleanup.add(listener);
        RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri());
        cleanup.add(peer);
        Transport server = listener.accept(WAIT);
        cleanup.add(server::abort);
        cleanup.add(EchoApp.serve(server));
        return peer;
    }

    /** A raw client and the server session it got, with no application serving it. */
    private record Conn(RawSpdyPeer peer, Transport server) {
    }

    private Conn connect(Settings settings) throws IOException {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
        cleanup.add(listener);
        RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri());
        cleanup.add(peer);
        Transport server = listener.accept(WAIT);
        cleanup.add(server::abort);
        return new Conn(peer, server);
    }

    private static byte[] request(String cmd, long retRef, Object... more) {
        Object[] fields = new Object[4 + more.length];
        fields[0] = "Cmd";
        fields[1] = Msgpack.str(cmd);
        fields[2] = "Ret";
        fields[3] = Msgpack.ext(4, retRef);
        System.arraycopy(more, 0, fields, 4, more.length);
        return Msgpack.map(fields);
    }

    // ------------------------------------------------------------------ refused on arrival

    /** Issue 15 item 3: the reply channel of a message refused for its depth is reset with it. */
    @Test
    void replyChannelOfAMessageTooDeepIsReset() throws Exception {
        RawSpdyPeer peer = echoPeer(Settings.builder().maxNestingDepth(8).build());
        peer.openChannel(1, 2);
        peer.openNested(3, 2, 3);
        peer.sendData(1, request("deep", 3, "Deep", Msgpack.nestedArrays(100)));

        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), peer.awaitRst(1));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_CANCEL), peer.awaitRst(3));
        peer.roundTrip(5, 4, 7, 5, "still serving");
    }

    /**
     * Issue 15 item 5: a message over maxMessageBytes is refused before its end, where its
     * {@code Ret} is (Go's key order is random): its reply channel is reset all the same, a
     * request answered before it on the same channel keeps its own, and a nested stream the peer
     * opens afterwards for the refused channel is reset on arrival.
     */
    @Test
    void everyStreamOpenedForATooLargeMessageIsReset() throws Exception {
        RawSpdyPeer peer = echoPeer(Settings.builder().maxMessageBytes(1 << 20).build());
        peer.openChannel(1, 2);
        peer.openNested(3, 2, 3);
        peer.sendData(1, request("first", 3));
        assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("first"))), RawSpdyPeer.hex(peer.awaitData(3).data()));

        peer.openNested(5, 2, 4);
        byte[] big = Msgpack.map("A", bin(600 * 1024), "B", bin(600 * 1024), "Cmd", Msgpack.str("big"),
                "Ret", Msgpack.ext(4, 4));
        for (int off = 0; off < big.length; off += 64 * 1024) {
            peer.sendData(1, java.util.Arrays.copyOfRange(big, off, Math.min(big.length, off + 64 * 1024)));
        }
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_FRAME_TOO_LARGE), peer.awaitRst(1));
        assertEquals(new RstStreamFrame(5, SpdyStatus.RST_CANCEL), peer.awaitRst(5));

        peer.openNested(7, 2, 5); // the peer had not seen the reset yet: the next request's reply channel
        assertEquals(new RstStreamFrame(7, SpdyStatus.RST_CANCEL), peer.awaitRst(7));

        peer.awaitFin(3); // the first request's reply channel was answered and closed, not reset
        assertTrue(peer.received().stream().noneMatch(f -> f instanceof RstStreamFrame && f.streamId() == 3),
                "frames: " + peer.received());
        peer.roundTrip(9, 6, 11, 7, "still serving");
    }

    /**
     * Issue 15 item 6: an ext value the dialect does not define (an unknown type, or a known type
     * with a length it cannot have) is refused on arrival as 0xc1 is: RST_STREAM PROTOCOL_ERROR on
     * the channel, and the reply channel the message named is reset.
     */
    @ParameterizedTest
    @ValueSource(strings = {"d4 63 00", "d5 04 00 03", "c7 03 04 00 00 03", "d6 06 00 00 00 00", "d8 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03"})
    void extValueTheDialectDoesNotDefineIsRefusedOnArrival(String ext) throws Exception {
        RawSpdyPeer peer = echoPeer(Settings.defaults());
        peer.openChannel(1, 2);
        peer.openNested(3, 2, 3);
        peer.sendData(1, request("odd", 3, "X", RawSpdyPeer.hex(ext)));

        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), peer.awaitRst(1));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_CANCEL), peer.awaitRst(3));
        peer.roundTrip(5, 4, 7, 5, "still serving");
    }

    /**
     * A peer that opens a message's streams after its DATA frame (jschan on node 0.10) cannot be
     * told apart from one whose next message named them: when the next message is refused before
     * the first is read, the first one's reply channel is reset too. The first message is still
     * delivered at once (no wait for a stream that came and went) and its reply fails as on any
     * reset channel.
     */
    @Test
    void lateOpenedStreamOfAnUnreadMessageResetWithARefusedOneStillResolves() throws Exception {
        Conn c = connect(Settings.builder().maxNestingDepth(8).refWaitTimeout(Duration.ofSeconds(60)).build());
        c.peer().openChannel(1, 2);
        c.peer().sendData(1, request("first", 3));
        c.peer().openNested(3, 2, 3); // after the message that names it
        c.peer().sendData(1, Msgpack.nestedArrays(100));
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(1));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_CANCEL), c.peer().awaitRst(3));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        Sender ret = Messages.replyChannel(channel.receive(Object.class, WAIT)).orElseThrow();
        assertThrows(ChannelClosedException.class, () -> ret.send(Map.of("Cmd", "first")));
        assertThrows(ProtocolException.class, () -> channel.receive(Object.class, WAIT));
    }

    // ------------------------------------------------------------------ refused when decoded

    /**
     * What only decoding can find (here a time whose nanoseconds are out of range) fails the
     * channel as a refusal on arrival does, and resets the streams of that message, including the
     * reply channel it had resolved already.
     */
    @Test
    void messageThatFailsToDecodeIsRefusedWithItsStreams() throws Exception {
        Conn c = connect(Settings.defaults());
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, 3);
        byte[] badTime = RawSpdyPeer.hex("c7 0c 06 00 00 00 00 65 53 f1 00 ff ff ff ff");
        c.peer().sendData(1, request("when", 3, "When", badTime));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        ProtocolException e = assertThrows(ProtocolException.class, () -> channel.receive(Object.class, WAIT));
        assertTrue(e.getMessage().contains("nanoseconds"), e.getMessage());
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(1));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_CANCEL), c.peer().awaitRst(3));
        cleanup.add(EchoApp.serve(c.server()));
        c.peer().roundTrip(5, 4, 7, 5, "still serving");
    }

    /** A reference to a stream that never opens: after refWaitTimeout the channel and the reply channel are reset. */
    @Test
    void messageNamingAStreamThatNeverOpensIsRefusedWithItsStreams() throws Exception {
        RawSpdyPeer peer = echoPeer(Settings.builder().refWaitTimeout(Duration.ofMillis(300)).build());
        peer.openChannel(1, 2);
        peer.openNested(3, 2, 3);
        peer.sendData(1, request("dangling", 3, "Stream", Msgpack.ext(1, 99)));

        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), peer.awaitRst(1));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_CANCEL), peer.awaitRst(3));
        peer.roundTrip(5, 4, 7, 5, "still serving");
    }

    // ------------------------------------------------------------------ ended streams

    /**
     * Issue 15 item 4: the Go client opens a byte stream, sends the message naming it and resets
     * it; here the reset is read before the message is decoded. The message is delivered (no wait
     * for a stream that already came and went), reading the stream fails with
     * ChannelClosedException, and the reply channel works.
     */
    @Test
    void streamOpenedAndResetBeforeTheMessageIsReadIsAnEndedStream() throws Exception {
        Conn c = connect(Settings.builder().refWaitTimeout(Duration.ofSeconds(60)).build());
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, 3);
        c.peer().openNested(5, 2, 4);
        c.peer().sendData(5, new byte[] {1, 2, 3});
        c.peer().send(new RstStreamFrame(5, SpdyStatus.RST_CANCEL));
        c.peer().sync(); // the reset is in before the message
        c.peer().sendData(1, request("hi", 3, "Stream", Msgpack.ext(1, 4)));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        Object request = channel.receive(Object.class, WAIT);
        ByteStream stream = assertInstanceOf(ByteStream.class, Messages.field(request, "Stream").orElseThrow());
        byte[] before = stream.input().readNBytes(3);
        assertEquals(RawSpdyPeer.hex(new byte[] {1, 2, 3}), RawSpdyPeer.hex(before), "bytes sent before the reset");
        IOException read = assertThrows(IOException.class, () -> stream.input().read());
        assertInstanceOf(ChannelClosedException.class, read.getCause(), "cause of " + read);

        Sender ret = Messages.replyChannel(request).orElseThrow();
        ret.send(EchoApp.reply(request));
        ret.close();
        assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("hi"))), RawSpdyPeer.hex(c.peer().awaitData(3).data()));
        c.peer().awaitFin(3);
    }

    /**
     * Issue 15 item 14: DATA after the peer's FIN, on a stream both sides have closed, gets
     * RST_STREAM STREAM_ALREADY_CLOSED; DATA still in flight on a stream that was reset does not.
     */
    @Test
    void dataAfterFinGetsStreamAlreadyClosed() throws Exception {
        RawSpdyPeer peer = echoPeer(Settings.defaults());
        peer.roundTrip(1, 2, 3, 3, "done");
        peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("late")));
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_STREAM_ALREADY_CLOSED), peer.awaitRst(1));

        peer.openChannel(5, 4);
        peer.send(new RstStreamFrame(5, SpdyStatus.RST_CANCEL));
        peer.sendData(5, Msgpack.map("Cmd", Msgpack.str("in flight")));
        peer.sync();
        assertTrue(peer.received().stream().noneMatch(f -> f instanceof RstStreamFrame && f.streamId() == 5),
                "frames: " + peer.received());
        peer.roundTrip(7, 5, 9, 6, "still serving");
    }

    private static byte[] bin(int n) {
        byte[] b = new byte[5 + n];
        b[0] = (byte) 0xc6;
        java.nio.ByteBuffer.wrap(b, 1, 4).putInt(n);
        return b;
    }
}
