package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.gateway.Gateway;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynStreamFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that speaks only SPDY frames, as a Go or jschan client would with the one header they
 * can add, reaches the directory and the gateway (PROTOCOL.md 10.1 and 14): the top-level
 * SYN_STREAM names the channel with {@code libchan-channel: libchan.directory} or
 * {@code libchan-channel: libchan.gateway}. Go HEAD style: no SETTINGS, no {@code libchan-ext},
 * references as msgpack ext values. Without the header, only a server that serves nothing but the
 * gateway ({@code libchan.jar gateway}) takes the channel for a gateway channel; one that serves
 * other channels too closes it unread.
 */
@Timeout(60)
class WireGatewayTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private URI target;

    @BeforeEach
    void echoTarget() throws IOException {
        ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(echo);
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                    s.shutdownOutput();
                } catch (IOException e) {
                    if (echo.isClosed()) {
                        return;
                    }
                }
            }
        }, "echo-target");
        t.setDaemon(true);
        t.start();
        target = URI.create("tcp://127.0.0.1:" + echo.getLocalPort());
    }

    /**
     * Where a gateway with the target {@code echo} listens; {@code unnamed}: it takes unnamed
     * channels for gateway channels, as {@code libchan.jar gateway} does.
     */
    private URI gateway(boolean unnamed) {
        Gateway gateway = Gateway.builder().target("echo", target).unnamedChannels(unnamed).build();
        closing.add(gateway);
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        closing.add(listener);
        gateway.serve(listener);
        return listener.uri();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A top-level channel as a Go client opens it, with the one header that names it. */
    private static void openNamed(RawSpdyPeer peer, int streamId, long ref, String name) {
        peer.send(SynStreamFrame.open(streamId, SpdyHeaders.of("libchan-ref", Long.toString(ref), "libchan-channel", name)));
    }

    @Test
    void aRawClientNamingTheDirectoryGetsItsListing() throws Exception {
        try (RawSpdyPeer go = RawSpdyPeer.connect(gateway(false))) {
            openNamed(go, 1, 1, "libchan.directory");
            go.openNested(3, 1, 2);
            go.sendData(1, Msgpack.map("Ret", Msgpack.ext(4, 2)));

            byte[] listing = RawSpdyPeer.concat(Msgpack.map(
                    "endpoints", new byte[] {(byte) 0x90},
                    "targets", RawSpdyPeer.concat(new byte[] {(byte) 0x91}, Msgpack.str("echo"))));
            assertEquals(RawSpdyPeer.hex(listing), RawSpdyPeer.hex(go.payloadUntilFin(3)),
                    "{endpoints: [], targets: [echo]}, then the FIN on ret");
        }
    }

    @Test
    void aRawClientNamingTheGatewayOpensATunnelWithHalfClosesEachWay() throws Exception {
        try (RawSpdyPeer go = RawSpdyPeer.connect(gateway(false))) {
            openNamed(go, 1, 1, "libchan.gateway");
            go.openNested(3, 1, 2); // ret
            go.openNested(5, 1, 3); // conn
            go.sendData(1, Msgpack.map("Target", Msgpack.str("echo"), "Conn", Msgpack.ext(1, 3), "Ret", Msgpack.ext(4, 2)));

            assertEquals(RawSpdyPeer.hex(Msgpack.map("ok", new byte[] {(byte) 0xc3})), RawSpdyPeer.hex(go.payloadUntilFin(3)),
                    "{ok: true}, then the FIN on ret");
            go.sendData(5, "ping".getBytes(StandardCharsets.US_ASCII));
            go.sendFin(5); // the target sees end-of-stream, echoes, and half-closes: our FIN comes back
            assertEquals("ping", new String(go.payloadUntilFin(5), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void withoutTheHeaderAServerServingOnlyTheGatewayTakesTheChannelForItsOwn() throws Exception {
        try (RawSpdyPeer go = RawSpdyPeer.connect(gateway(true))) {
            go.openChannel(1, 1);
            go.openNested(3, 1, 2);
            go.openNested(5, 1, 3);
            go.sendData(1, Msgpack.map("Target", Msgpack.str("echo"), "Conn", Msgpack.ext(1, 3), "Ret", Msgpack.ext(4, 2)));
            assertEquals(RawSpdyPeer.hex(Msgpack.map("ok", new byte[] {(byte) 0xc3})), RawSpdyPeer.hex(go.payloadUntilFin(3)));
            go.sendData(5, "pong".getBytes(StandardCharsets.US_ASCII));
            go.sendFin(5);
            assertEquals("pong", new String(go.payloadUntilFin(5), StandardCharsets.US_ASCII));

            // there a directory request is a gateway request without target: answered as a bad one
            go.openChannel(7, 4);
            go.openNested(9, 4, 5);
            go.sendData(7, Msgpack.map("Ret", Msgpack.ext(4, 5)));
            String answer = new String(go.payloadUntilFin(9), StandardCharsets.ISO_8859_1);
            assertTrue(answer.contains("error") && answer.contains(Gateway.BAD_REQUEST), answer);
        }
    }

    @Test
    void withoutTheHeaderAServerServingOtherChannelsTooResetsTheChannelUnread() throws Exception {
        // a Gateway not told to take unnamed channels (a server that serves other endpoints beside it)
        try (RawSpdyPeer go = RawSpdyPeer.connect(gateway(false))) {
            go.openChannel(1, 1);
            go.openNested(3, 1, 2);
            go.openNested(5, 1, 3);
            go.sendData(1, Msgpack.map("Target", Msgpack.str("echo"), "Conn", Msgpack.ext(1, 3), "Ret", Msgpack.ext(4, 2)));

            RstStreamFrame rst = go.awaitRst(1);
            assertEquals(SpdyStatus.RST_CANCEL, rst.status(), "the channel is closed unread");
            go.sync();
            assertTrue(go.received().stream().noneMatch(f -> f instanceof DataFrame d && d.streamId() == 3),
                    "no answer on ret: the request was never read");
        }
    }
}
