package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageTooLargeException;
import io.libchan.MessageTypeException;
import io.libchan.Messages;
import io.libchan.ProtocolException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.PingFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.SpdyFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.internal.spdy.WindowUpdateFrame;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Malformed and hostile input from a raw SPDY client (go-peer-wire.md §3 in the test resources, PROTOCOL.md §9), one
 * test per case. Go reacts to most of these by hanging or dying silently; we answer each with a
 * clean, typed error on the wire and in the API, and keep serving whatever was not at fault.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireBadInputTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** A raw client and the server-side session it got. */
    private record Conn(RawSpdyPeer peer, Transport server) {
    }

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

    private Listener listen(Settings settings) {
        Listener l = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
        cleanup.add(l);
        return l;
    }

    private Listener listen() {
        return listen(Settings.defaults());
    }

    /** Connects a raw client and accepts its session (one at a time, so the pairing is certain). */
    private Conn connect(Listener listener) throws IOException {
        RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri());
        cleanup.add(peer);
        Transport server = listener.accept(WAIT);
        cleanup.add(server::abort);
        return new Conn(peer, server);
    }

    /** As {@link #connect}, with the echo application serving the session. */
    private Conn connectEcho(Listener listener) throws IOException {
        Conn c = connect(listener);
        cleanup.add(EchoApp.serve(c.server()));
        return c;
    }

    private void assertServesANewConnection(Listener listener) throws IOException {
        connectEcho(listener).peer().roundTrip(1, 2, 3, 3, "fresh connection");
    }

    /** The peer got GOAWAY PROTOCOL_ERROR and then the connection was closed. */
    private static void assertGoAwayProtocolErrorAndClose(RawSpdyPeer peer) {
        List<SpdyFrame> frames = peer.expectClosed(WAIT);
        assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, RawSpdyPeer.goAwayIn(frames).status(), "GOAWAY status in " + frames);
    }

    /** The server-side session ended with a session-fatal protocol error. */
    private static void assertSessionFailedWithProtocolError(Transport server) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> server.waitReceiveChannel(WAIT));
        assertTrue(e.isSessionFatal(), "session-fatal: " + e);
        assertFalse(server.isOpen());
    }

    private static byte[] request(String cmd, long retRef) {
        return Msgpack.map("Cmd", Msgpack.str(cmd), "Ret", Msgpack.ext(4, retRef));
    }

    private static byte[] message(String cmd) {
        return Msgpack.map("Cmd", Msgpack.str(cmd));
    }

    // ------------------------------------------------------------------ framing errors: fatal for that session only

    @Test
    void uppercaseHeaderNameGetsGoAwayAndOnlyThatSessionEnds() throws Exception {
        assertFatalHeaderBlock(RawSpdyPeer.rawBlock("Libchan-Ref", "2"));
    }

    @Test
    void duplicateHeaderNameGetsGoAwayAndOnlyThatSessionEnds() throws Exception {
        assertFatalHeaderBlock(RawSpdyPeer.rawBlock("libchan-ref", "2", "libchan-ref", "3"));
    }

    private void assertFatalHeaderBlock(byte[] block) throws Exception {
        Listener listener = listen();
        Conn other = connectEcho(listener);
        Conn bad = connect(listener);

        bad.peer().sendSynStream(1, 0, 0, block);

        assertGoAwayProtocolErrorAndClose(bad.peer());
        assertSessionFailedWithProtocolError(bad.server());
        other.peer().roundTrip(1, 2, 3, 3, "unaffected");
        assertServesANewConnection(listener);
    }

    @Test
    void decompressionBombInAHeaderBlockGetsGoAwayWithoutInflatingIt() throws Exception {
        Listener listener = listen(Settings.builder().maxHeaderBlockBytes(16 * 1024).build());
        Conn other = connectEcho(listener);
        Conn bad = connect(listener);
        // 8 MiB of header value compress to about 8 KiB: a small frame that inflates 500 times over the limit
        byte[] bomb = RawSpdyPeer.rawBlock("libchan-ref", "2", "x-bomb", "a".repeat(8 << 20));
        long allocatedBefore = allocatedBytes();

        bad.peer().sendSynStream(1, 0, 0, bomb);

        assertGoAwayProtocolErrorAndClose(bad.peer());
        long allocated = allocatedBytes() - allocatedBefore;
        assertTrue(allocated < 4 << 20, "handling the bomb allocated " + (allocated >> 10) + " KiB");
        assertSessionFailedWithProtocolError(bad.server());
        other.peer().roundTrip(1, 2, 3, 3, "unaffected");
        assertServesANewConnection(listener);
    }

    /** Bytes allocated so far by every live thread of the JVM (HotSpot's per-thread counters). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(n -> n > 0).sum();
    }

    @Test
    void dataFrameDeclaringMoreThanMaxFrameBytesGetsGoAwayFromItsHeader() throws Exception {
        Listener listener = listen(Settings.builder().maxFrameBytes(64 * 1024).build());
        Conn other = connectEcho(listener);
        Conn bad = connect(listener);
        bad.peer().openChannel(1, 2);

        // a DATA header declaring 16 MiB - 1, and only 4 bytes of it: we must not wait for the rest
        bad.peer().sendVerbatim(RawSpdyPeer.hex("00 00 00 01 00 ff ff ff 81 a3 43 6d"));

        assertGoAwayProtocolErrorAndClose(bad.peer());
        bad.server().waitReceiveChannel(WAIT); // the channel opened before the bad frame
        assertSessionFailedWithProtocolError(bad.server());
        other.peer().roundTrip(1, 2, 3, 3, "unaffected");
        assertServesANewConnection(listener);
    }

    // ------------------------------------------------------------------ ignored or answered, the session goes on

    @Test
    void unknownControlFrameTypesAreSkipped() throws Exception {
        Conn c = connectEcho(listen());

        c.peer().sendVerbatim(RawSpdyPeer.controlFrame(10, 0, RawSpdyPeer.hex("de ad be ef")),
                RawSpdyPeer.controlFrame(0xff, 0x7f, new byte[300]),
                RawSpdyPeer.controlFrame(10, 0, new byte[0]));

        c.peer().roundTrip(1, 2, 3, 3, "after unknown frames");
        assertTrue(c.peer().received().stream().noneMatch(f -> f instanceof GoAwayFrame || f instanceof RstStreamFrame),
                "no complaint: " + c.peer().received());
        assertTrue(c.server().isOpen());
    }

    @Test
    void synStreamWithoutOrWithANonNumericLibchanRefIsReset() throws Exception {
        Conn c = connectEcho(listen());

        c.peer().send(SynStreamFrame.open(1, SpdyHeaders.of("x-something", "1")));
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(1));
        c.peer().send(SynStreamFrame.open(3, SpdyHeaders.of("libchan-ref", "two")));
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(3));

        c.peer().roundTrip(5, 2, 7, 3, "still serving");
        assertTrue(c.server().isOpen());
    }

    @Test
    void synStreamWithALowerIdOrTheWrongParityIsReset() throws Exception {
        Conn c = connectEcho(listen());
        c.peer().roundTrip(5, 2, 7, 3, "first");

        c.peer().openChannel(3, 4);
        assertEquals(new RstStreamFrame(3, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(3), "id below 7");
        c.peer().openChannel(8, 5);
        assertEquals(new RstStreamFrame(8, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(8), "even id from a client");

        c.peer().roundTrip(9, 6, 11, 7, "still serving");
        assertTrue(c.server().isOpen());
    }

    @Test
    void settingsAndWindowUpdateAreAccepted() throws Exception {
        Conn c = connectEcho(listen());

        c.peer().send(new SettingsFrame(false, List.of(new SettingsFrame.Setting(4, 0, 100),
                new SettingsFrame.Setting(7, 0, 1 << 20))));
        c.peer().send(new WindowUpdateFrame(0, 1 << 20));
        c.peer().roundTrip(1, 2, 3, 3, "with flow control");
        c.peer().send(new WindowUpdateFrame(3, 1000)); // late credit for a stream that is done

        c.peer().roundTrip(5, 4, 7, 5, "still serving");
        assertTrue(c.peer().received().stream().noneMatch(f -> f instanceof GoAwayFrame || f instanceof RstStreamFrame),
                "no complaint: " + c.peer().received());
    }

    @Test
    void pingWithThePeersParityIsEchoed() throws Exception {
        Conn c = connectEcho(listen());

        c.peer().send(new PingFrame(1));
        assertEquals(new PingFrame(1), c.peer().expectFrame(PingFrame.class));
        c.peer().send(new PingFrame(0x7ffffffb));
        assertEquals(new PingFrame(0x7ffffffb), c.peer().expectFrame(PingFrame.class));

        c.peer().roundTrip(1, 2, 3, 3, "after pings");
    }

    // ------------------------------------------------------------------ bad messages: the channel fails, nothing else

    @Test
    void invalidMsgpackFailsOnlyItsChannel() throws Exception {
        Conn c = connect(listen());
        c.peer().openChannel(1, 2);
        c.peer().openChannel(3, 3);

        // a good message, then a map whose value is 0xc1, a byte msgpack never uses
        c.peer().sendData(1, RawSpdyPeer.concat(message("good"), RawSpdyPeer.hex("81 a1 61 c1")));
        c.peer().sendData(3, message("other"));

        Receiver bad = c.server().waitReceiveChannel(WAIT);
        Receiver other = c.server().waitReceiveChannel(WAIT);
        assertEquals(Map.of("Cmd", "good"), bad.receive(Object.class, WAIT));
        ProtocolException e = assertThrows(ProtocolException.class, () -> bad.receive(Object.class, WAIT));
        assertFalse(e.isSessionFatal());
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(1));

        assertEquals(Map.of("Cmd", "other"), other.receive(Object.class, WAIT));
        cleanup.add(EchoApp.serve(c.server()));
        c.peer().roundTrip(5, 4, 7, 5, "still serving");
    }

    @Test
    void referenceToAStreamThatNeverOpensFailsAfterRefWaitTimeout() throws Exception {
        Duration refWait = Duration.ofMillis(300);
        Conn c = connect(listen(Settings.builder().refWaitTimeout(refWait).build()));
        c.peer().openChannel(1, 2);
        c.peer().sendData(1, request("dangling", 99));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        long start = System.nanoTime();
        ProtocolException e = assertThrows(ProtocolException.class, () -> channel.receive(Object.class, WAIT));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(e.getMessage().contains("99"), e.getMessage());
        assertFalse(e.isSessionFatal());
        assertTrue(waitedMs >= refWait.toMillis() - 20 && waitedMs < WAIT.toMillis(), "waited " + waitedMs + " ms");
        cleanup.add(EchoApp.serve(c.server()));
        c.peer().roundTrip(3, 3, 5, 4, "still serving");
    }

    /** The typed form of the Go request. */
    public record Request(String cmd, Sender ret) {
    }

    @Test
    void receiverReferenceWhereASenderIsExpectedIsATypeErrorCarryingTheMessage() throws Exception {
        Conn c = connect(listen());
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, 3);
        c.peer().sendData(1, Msgpack.map("Cmd", Msgpack.str("hi"), "Ret", Msgpack.ext(5, 3)));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> channel.receive(Request.class, WAIT));
        Object untyped = e.untypedMessage();
        assertEquals("hi", Messages.field(untyped, "Cmd").orElseThrow());
        assertInstanceOf(Receiver.class, Messages.field(untyped, "Ret").orElseThrow(), "ext 5 is a Receiver: " + untyped);

        // the channel stays usable: a proper request on it is answered
        c.peer().openNested(5, 2, 4);
        c.peer().sendData(1, request("again", 4));
        Request ok = channel.receive(Request.class, WAIT);
        assertEquals("again", ok.cmd());
        ok.ret().send(EchoApp.reply(Map.of("Cmd", ok.cmd())));
        ok.ret().close();
        assertEquals(RawSpdyPeer.hex(message("again")), RawSpdyPeer.hex(c.peer().awaitData(5).data()));
        c.peer().awaitFin(5);
    }

    @Test
    void eightByteReferenceIdsWork() throws Exception {
        Conn c = connectEcho(listen());
        long big = 0x1_0000_0003L;
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, big);
        c.peer().openNested(5, 2, 7);
        c.peer().sendData(1, Msgpack.map("Cmd", Msgpack.str("big id"), "Ret", Msgpack.ext8(4, big)));
        c.peer().sendData(1, Msgpack.map("Cmd", Msgpack.str("small id, long form"), "Ret", Msgpack.ext8(4, 7)));

        assertEquals(RawSpdyPeer.hex(message("big id")), RawSpdyPeer.hex(c.peer().awaitData(3).data()));
        c.peer().awaitFin(3);
        assertEquals(RawSpdyPeer.hex(message("small id, long form")), RawSpdyPeer.hex(c.peer().awaitData(5).data()));
        c.peer().awaitFin(5);
    }

    // ------------------------------------------------------------------ session ends

    @Test
    void goAwayRightAfterARequestStillGetsTheRequestProcessedAndAnswered() throws Exception {
        Conn c = connect(listen());
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, 3);
        c.peer().sendData(1, request("last words", 3));
        c.peer().send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));
        c.peer().sync(); // the GOAWAY was handled before the application looks

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        Object request = channel.receive(Object.class, WAIT);
        Sender ret = Messages.replyChannel(request).orElseThrow();
        ret.send(EchoApp.reply(request));
        ret.close();

        assertEquals(RawSpdyPeer.hex(message("last words")), RawSpdyPeer.hex(c.peer().awaitData(3).data()));
        c.peer().awaitFin(3);
        assertThrows(ChannelClosedException.class, () -> c.server().waitReceiveChannel(WAIT), "no new channels after GOAWAY");

        c.peer().sendFin(3);
        c.peer().sendFin(1);
        assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));
        c.peer().expectClosed(WAIT); // every stream done: the session ends
        assertFalse(c.server().isOpen());
    }

    /**
     * After the peer's GOAWAY, its FIN on the last open channel ends our session; the FIN we owe
     * in answer (PROTOCOL.md §4.4) must reach the wire before the connection is closed, or a Java
     * peer still draining that stream sees a lost connection instead of a clean end. Repeated:
     * the FIN and the end of the session race.
     */
    @Test
    void finAnsweringThePeersLastFinIsWrittenBeforeTheSessionEnds() throws Exception {
        Listener listener = listen();
        for (int round = 0; round < 20; round++) {
            Conn c = connect(listener);
            c.peer().openChannel(1, 2);
            c.peer().sendData(1, message("bye"));
            Receiver channel = c.server().waitReceiveChannel(WAIT);
            assertEquals(Map.of("Cmd", "bye"), channel.receive(Object.class, WAIT));
            c.peer().send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));

            c.peer().sendFin(1);

            List<SpdyFrame> beforeClose = c.peer().expectClosed(WAIT);
            assertTrue(beforeClose.contains(DataFrame.fin(1)),
                    "round " + round + ": our FIN on 1 before the close; got " + c.peer().received());
            assertThrows(EndOfChannelException.class, () -> channel.receive(Object.class, WAIT));
        }
    }

    @Test
    void connectionResetMidChannelIsConnectionLostNotEndOfChannel() throws Exception {
        assertLossMidChannel(RawSpdyPeer::abort);
    }

    @Test
    void connectionClosedWithoutGoAwayMidChannelIsConnectionLostNotEndOfChannel() throws Exception {
        assertLossMidChannel(RawSpdyPeer::close);
    }

    private void assertLossMidChannel(java.util.function.Consumer<RawSpdyPeer> cut) throws Exception {
        Conn c = connect(listen());
        c.peer().openChannel(1, 2);
        c.peer().sendData(1, message("first"));
        Receiver channel = c.server().waitReceiveChannel(WAIT);
        assertEquals(Map.of("Cmd", "first"), channel.receive(Object.class, WAIT));

        CompletableFuture<Object> pendingReceive = channel.receiveAsync(Object.class);
        CompletableFuture<Receiver> pendingAccept = CompletableFuture.supplyAsync(() -> c.server().waitReceiveChannel());
        assertFalse(pendingReceive.isDone());

        cut.accept(c.peer());

        ExecutionException receiveFailure = assertThrows(ExecutionException.class, () -> pendingReceive.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, receiveFailure.getCause());
        ExecutionException acceptFailure = assertThrows(ExecutionException.class, () -> pendingAccept.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, acceptFailure.getCause());
        assertThrows(ConnectionLostException.class, () -> channel.receive(Object.class, WAIT), "and stays lost");
        assertFalse(c.server().isOpen());
    }

    @Test
    void sendAfterThePeerResetTheStreamFailsWithChannelClosed() throws Exception {
        Conn c = connect(listen());
        c.peer().openChannel(1, 2);
        c.peer().openNested(3, 2, 3);
        c.peer().sendData(1, request("hi", 3));
        Receiver channel = c.server().waitReceiveChannel(WAIT);
        Sender ret = Messages.replyChannel(channel.receive(Object.class, WAIT)).orElseThrow();

        c.peer().send(new RstStreamFrame(3, SpdyStatus.RST_CANCEL));
        c.peer().sync();

        assertThrows(ChannelClosedException.class, () -> ret.send(Map.of("Cmd", "too late")));
        ret.close(); // idempotent, never throws
        c.peer().expectNone(DataFrame.class, d -> d.streamId() == 3, Duration.ofMillis(200));
        assertTrue(c.server().isOpen());
    }

    // ------------------------------------------------------------------ limits

    @Test
    void moreStreamsThanMaxStreamsAreRefused() throws Exception {
        Conn c = connect(listen(Settings.builder().maxStreams(2).build()));
        c.peer().openChannel(1, 2);
        c.peer().openChannel(3, 3);
        c.peer().openChannel(5, 4);

        assertEquals(new RstStreamFrame(5, SpdyStatus.RST_REFUSED_STREAM), c.peer().awaitRst(5));
        c.peer().sendFin(1);
        c.peer().awaitFin(1); // stream 1 done on both sides: room for one more
        c.peer().openChannel(7, 5);
        SpdyFrame answer = c.peer().awaitFrame(SpdyFrame.class, f -> f.streamId() == 7
                && (f instanceof SynReplyFrame || f instanceof RstStreamFrame));
        assertInstanceOf(SynReplyFrame.class, answer);
        assertTrue(c.server().isOpen());
    }

    @Test
    void messageOverMaxMessageBytesFailsTheChannelOnly() throws Exception {
        Conn c = connect(listen(Settings.builder().maxMessageBytes(1024).build()));
        c.peer().openChannel(1, 2);
        c.peer().sendData(1, message("x".repeat(2000)));

        Receiver channel = c.server().waitReceiveChannel(WAIT);
        assertThrows(MessageTooLargeException.class, () -> channel.receive(Object.class, WAIT));
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_FRAME_TOO_LARGE), c.peer().awaitRst(1));

        cleanup.add(EchoApp.serve(c.server()));
        c.peer().roundTrip(3, 3, 5, 4, "still serving");
    }

    @Test
    void nestingDeeperThanMaxNestingDepthIsAProtocolError() throws Exception {
        Conn c = connect(listen(Settings.builder().maxNestingDepth(8).build()));
        c.peer().openChannel(1, 2);
        c.peer().openChannel(3, 3);
        c.peer().sendData(1, Msgpack.nestedArrays(100));
        c.peer().sendData(3, Msgpack.nestedArrays(8));

        Receiver deep = c.server().waitReceiveChannel(WAIT);
        Receiver atLimit = c.server().waitReceiveChannel(WAIT);
        ProtocolException e = assertThrows(ProtocolException.class, () -> deep.receive(Object.class, WAIT));
        assertFalse(e.isSessionFatal());
        assertEquals(new RstStreamFrame(1, SpdyStatus.RST_PROTOCOL_ERROR), c.peer().awaitRst(1));

        Object value = atLimit.receive(Object.class, WAIT);
        for (int i = 0; i < 8; i++) {
            value = assertInstanceOf(List.class, value).get(0);
        }
        assertEquals(1L, value);
    }

    @Test
    void peerThatStopsAnsweringPingsIsConnectionLost() throws Exception {
        Conn c = connect(listen(Settings.builder().keepAliveInterval(Duration.ofMillis(100))
                .keepAliveTimeout(Duration.ofMillis(300)).build()));
        c.peer().openChannel(1, 2);
        c.peer().sendData(1, message("then silence"));
        Receiver channel = c.server().waitReceiveChannel(WAIT);
        assertEquals(Map.of("Cmd", "then silence"), channel.receive(Object.class, WAIT));
        CompletableFuture<Object> pending = channel.receiveAsync(Object.class);

        PingFrame ping = c.peer().awaitFrame(PingFrame.class, p -> p.id() % 2 == 0);
        assertTrue(ping.id() > 0);
        // never answered
        ExecutionException failure = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, failure.getCause());
        c.peer().expectClosed(WAIT);
        assertFalse(c.server().isOpen());
    }

    /**
     * A session sends its next PING only once the last one was answered (PROTOCOL.md 4.5; nothing
     * holds either side back here), so each new PING proves the answer to the one before counted:
     * the proof is the chain of PINGs, not a timeout outlived. The timeout is a safety net (30 s),
     * so a loaded machine that delays an echo by a few hundred milliseconds does not pass for a
     * dead peer.
     */
    @Test
    void peerThatAnswersPingsStaysConnected() throws Exception {
        Listener listener = listen(Settings.builder().keepAliveInterval(Duration.ofMillis(100))
                .keepAliveTimeout(Duration.ofSeconds(30)).build());
        // the peer's reader echoes them from the first, also while the round trip waits
        RawSpdyPeer peer = RawSpdyPeer.connectAnsweringPings(listener.uri());
        cleanup.add(peer);
        Transport server = listener.accept(WAIT);
        cleanup.add(server::abort);
        cleanup.add(EchoApp.serve(server));
        Conn c = new Conn(peer, server);
        int last = 0;
        for (int i = 0; i < 5; i++) {
            int previous = last;
            last = c.peer().awaitFrame(PingFrame.class, p -> p.id() % 2 == 0).id();
            assertTrue(last > previous, "a new PING, after the answer to " + previous);
        }
        c.peer().roundTrip(1, 2, 3, 3, "still here");
        assertTrue(c.server().isOpen());
    }
}
