package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ChannelTimeoutException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.WindowUpdateFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow control on the wire (PROTOCOL.md §7): between Java peers one unread channel holds at most
 * its window and stalls nothing else; a peer's SETTINGS window is honoured; a Go peer, which never
 * sends SETTINGS, is never waited for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireFlowControlTest {
    private static final int WINDOW = 256 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final Duration SEND_TIMEOUT = Duration.ofMillis(300);

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

    private record JavaPair(Transport client, Transport server) {
    }

    private JavaPair javaPair() {
        Settings settings = Settings.builder().streamWindowBytes(WINDOW).build();
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
        cleanup.add(listener);
        Transport client = Libchan.connect(listener.uri(), settings);
        cleanup.add(client::abort);
        Transport server = listener.accept(WAIT);
        cleanup.add(server::abort);
        return new JavaPair(client, server);
    }

    private static Map<String, Object> chunk(int seq) {
        byte[] data = new byte[CHUNK];
        ByteBuffer.wrap(data).putInt(seq).putInt(CHUNK - 8, seq);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Seq", seq);
        m.put("Data", data);
        return m;
    }

    /** Sends up to 10 MiB of 64 KiB messages on {@code a}; returns how many went out before a send timed out. */
    private static int fillUntilStalled(Sender a) {
        ChannelTimeoutException stalled = null;
        int sent = 0;
        for (int seq = 0; seq < (10 << 20) / CHUNK; seq++) {
            try {
                a.send(chunk(seq), SEND_TIMEOUT);
                sent++;
            } catch (ChannelTimeoutException e) {
                stalled = e;
                break;
            }
        }
        assertNotNull(stalled, "10 MiB went out on a channel nobody reads: the receiver buffered all of it");
        return sent;
    }

    /** A request/reply on a fresh channel of {@code pair}: client asks, server answers on Ret. */
    private static void requestReply(JavaPair pair, String cmd) {
        Sender b = pair.client().newSendChannel();
        Pipe replies = Pipe.create();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("Cmd", cmd);
        request.put("Ret", replies.sender());
        b.send(request, WAIT);
        Receiver rb = pair.server().waitReceiveChannel(WAIT);
        Object got = rb.receive(Object.class, WAIT);
        Sender ret = Messages.replyChannel(got).orElseThrow();
        ret.send(EchoApp.reply(got), WAIT);
        ret.close();
        assertEquals(Map.of("Cmd", cmd), replies.receiver().receive(Object.class, WAIT));
        b.close();
    }

    @Test
    void unreadChannelHoldsAtMostItsWindowAndStallsNoOtherChannel() {
        JavaPair pair = javaPair();
        // windows apply once the peer's SETTINGS (its first frame) arrived; a round trip makes sure
        // it did, so a send that races the connection's start cannot overrun them
        requestReply(pair, "warm-up");
        Sender a = pair.client().newSendChannel();

        int sent = fillUntilStalled(a);

        long held = (long) sent * CHUNK;
        assertTrue(held <= WINDOW + 2L * CHUNK, "the receiver holds " + held + " bytes unread, window " + WINDOW);
        Receiver ra = pair.server().waitReceiveChannel(WAIT); // accepted, never read
        for (int i = 0; i < 3; i++) {
            requestReply(pair, "b" + i);
        }
        // and A is still stalled
        assertThrows(ChannelTimeoutException.class, () -> a.send(chunk(-1), SEND_TIMEOUT));
        assertTrue(pair.client().isOpen() && pair.server().isOpen());
        ra.close();
    }

    /**
     * A send that timed out waiting for the window "did not hand its message over" (Sender,
     * ChannelTimeoutException): no part of it may be left on the stream, or the next message is
     * glued to the fragment and the channel is corrupt.
     */
    @Test
    void sendThatTimedOutOnTheWindowLeavesNothingBehindOnTheChannel() {
        JavaPair pair = javaPair();
        Sender a = pair.client().newSendChannel();
        int sent = fillUntilStalled(a);
        Receiver ra = pair.server().waitReceiveChannel(WAIT);

        for (int seq = 0; seq < sent; seq++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = ra.receive(Map.class, WAIT);
            assertEquals((long) seq, m.get("Seq"));
            assertEquals(seq, ByteBuffer.wrap((byte[]) m.get("Data")).getInt(CHUNK - 8));
        }
        a.send(Map.of("Seq", "after"), WAIT);
        a.close();
        assertEquals(Map.of("Seq", "after"), ra.receive(Object.class, WAIT));
        assertThrows(EndOfChannelException.class, () -> ra.receive(Object.class, WAIT));
    }

    // ------------------------------------------------------------------ a raw peer's SETTINGS

    @Test
    void peerInitialWindowOf1000HoldsEachStreamUntilWindowUpdate() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            cleanup.add(server::abort);
            peer.send(new SettingsFrame(false, List.of(new SettingsFrame.Setting(7, 0, 1000))));
            peer.openChannel(1, 2);
            peer.openNested(3, 2, 3);
            peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("big"), "Ret", Msgpack.ext(4, 3)));

            byte[] payload = new byte[3000];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            Receiver channel = server.waitReceiveChannel(WAIT);
            Sender ret = Messages.replyChannel(channel.receive(Object.class, WAIT)).orElseThrow();
            CompletableFuture<Void> reply = CompletableFuture.runAsync(() -> {
                ret.send(Map.of("Data", payload));
                ret.close();
            });

            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.writeBytes(peer.awaitData(3).data());
            peer.expectNone(DataFrame.class, d -> d.streamId() == 3, Duration.ofMillis(300));
            assertEquals(1000, got.size(), "exactly the window, then a wait");
            assertFalse(reply.isDone(), "the sender waits for the window");

            peer.send(new WindowUpdateFrame(3, 1000));
            got.writeBytes(peer.awaitData(3).data());
            peer.expectNone(DataFrame.class, d -> d.streamId() == 3, Duration.ofMillis(200));
            assertEquals(2000, got.size());

            peer.send(new WindowUpdateFrame(3, 100_000));
            got.writeBytes(peer.payloadUntilFin(3));
            reply.get(5, TimeUnit.SECONDS);
            byte[] expected = RawSpdyPeer.concat(new byte[] {(byte) 0x81}, Msgpack.str("Data"),
                    new byte[] {(byte) 0xc5, 0x0b, (byte) 0xb8}, payload);
            assertArrayEquals(expected, got.toByteArray());
        }
    }

    // ------------------------------------------------------------------ Go: no SETTINGS, no waiting

    @Test
    void goPeerThatNeverSendsSettingsIsNeverWaitedForByOurServer() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer go = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            cleanup.add(server::abort);
            go.openChannel(1, 2);
            go.openNested(3, 2, 3);
            go.sendData(1, Msgpack.map("Cmd", Msgpack.str("big"), "Ret", Msgpack.ext(4, 3)));
            Receiver channel = server.waitReceiveChannel(WAIT);
            Sender ret = Messages.replyChannel(channel.receive(Object.class, WAIT)).orElseThrow();

            byte[] mib = new byte[1 << 20];
            ret.send(Map.of("Data", mib), Duration.ofSeconds(2)); // returns once written: no window to wait for
            ret.close();

            long total = go.payloadUntilFin(3).length;
            assertEquals(1 + 5 + 5 + (1 << 20), total, "{\"Data\": bin32 of 1 MiB}");
            assertTrue(go.received().stream().noneMatch(WindowUpdateFrame.class::isInstance));
        }
    }

    @Test
    void goServerThatNeverSendsSettingsIsNeverWaitedForByOurClient() throws Exception {
        try (RawSpdyPeer.Server goServer = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(goServer.uri().toString());
            cleanup.add(client::abort);
            try (RawSpdyPeer go = goServer.accept()) {
                Sender channel = client.newSendChannel();
                channel.send(Map.of("Data", new byte[1 << 20]), Duration.ofSeconds(2));
                channel.close();

                long total = go.payloadUntilFin(1).length;
                assertEquals(1 + 5 + 5 + (1 << 20), total);
            }
        }
    }

    /**
     * SPDY/3 (not 3.1) has no session window: a WINDOW_UPDATE naming a stream that is already gone
     * (credit that crossed the stream's end, routine in SPDY) must be ignored, not taken as a
     * session-level update that switches on a session window the peer will never replenish.
     */
    @Test
    void windowUpdateForAStreamThatIsGoneDoesNotTurnOnASessionWindow() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            cleanup.add(server::abort);
            cleanup.add(EchoApp.serve(server));
            peer.send(new SettingsFrame(false, List.of(new SettingsFrame.Setting(7, 0, 1 << 20))));
            peer.roundTrip(1, 2, 3, 3, "first");
            peer.send(new WindowUpdateFrame(3, 100)); // late credit for the finished reply stream

            peer.openChannel(5, 4);
            peer.openNested(7, 4, 5);
            String big = "x".repeat(200 * 1024); // under the 1 MiB stream window, over 64 KiB
            peer.sendData(5, Msgpack.map("Cmd", Msgpack.str(big), "Ret", Msgpack.ext(4, 5)));

            long total = peer.payloadUntilFin(7).length;
            assertEquals(Msgpack.map("Cmd", Msgpack.str(big)).length, total);
        }
    }
}
