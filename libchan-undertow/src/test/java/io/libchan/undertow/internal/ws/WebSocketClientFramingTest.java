package io.libchan.undertow.internal.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.session.MessageBatch;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.SettingsFrame;
import io.libchan.internal.spdy.SpdyFrameEncoder;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.Pooled;

/**
 * The {@code libchan.spdy3} client ({@link NioWebSocketClient}, {@link WebSocketIo}) against a bare
 * Undertow WebSocket server that records what arrives and sends what a test asks: whole SPDY frames
 * in each masked binary message of up to 64 KiB (a large frame, which the wire writes head first
 * and payload next, alone), any split read, pings answered, the server's close and a text message handled, and a
 * bad upgrade answer refused.
 */
@Timeout(60)
class WebSocketClientFramingTest {
    private static final long WAIT = 10;
    private Undertow server;
    private int port;
    private final CompletableFuture<WebSocketChannel> connected = new CompletableFuture<>();
    private final LinkedBlockingQueue<byte[]> binary = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        io.libchan.undertow.LoopbackUndertow started = io.libchan.undertow.LoopbackUndertow.start(
                Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new Recorder());
                    channel.resumeReceives();
                    connected.complete(channel);
                }), b -> { });
        server = started.server();
        port = started.port();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private Transport connect() {
        return Libchan.connect(URI.create("ws://127.0.0.1:" + port + "/libchan"), Settings.defaults());
    }

    @Test
    void theClientSendsWholeSpdyFramesInEachBinaryMessage() throws Exception {
        Transport client = connect();
        Sender out = client.newSendChannel();
        out.send(Map.of("big", new byte[200_000])); // one DATA frame the wire writes head first, then payload
        for (int i = 0; i < 50; i++) {
            out.send(Map.of("n", i));
        }
        int bigFrames = 0;
        int dataFrames = 0;
        while (bigFrames < 1 || dataFrames < 51) {
            byte[] message = binary.poll(WAIT, TimeUnit.SECONDS);
            assertNotNull(message, "the client's frames stopped coming: " + dataFrames + " DATA frames seen");
            int at = 0;
            int frames = 0;
            while (at < message.length) {
                frames++;
                assertTrue(at + 8 <= message.length, "a frame head split across messages");
                int length = ((message[at + 5] & 0xff) << 16) | ((message[at + 6] & 0xff) << 8) | (message[at + 7] & 0xff);
                boolean data = (message[at] & 0x80) == 0;
                at += 8 + length;
                assertTrue(at <= message.length, "a frame split across messages");
                if (data && length > 0) {
                    dataFrames++;
                    bigFrames += length > 64 * 1024 ? 1 : 0;
                }
            }
            assertTrue(message.length <= MessageBatch.MAX_MESSAGE || frames == 1,
                    "a message of " + frames + " frames and " + message.length + " bytes");
        }
        client.abort();
    }

    @Test
    void theClientAnswersPingsReadsFramesSplitAnyWayAndEndsCleanlyOnTheServersGoAway() throws Exception {
        Transport client = connect();
        WebSocketChannel channel = connected.get(WAIT, TimeUnit.SECONDS);
        WebSockets.sendPingBlocking(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), channel);
        byte[] spdy;
        try (SpdyFrameEncoder encoder = new SpdyFrameEncoder()) {
            byte[] settings = encoder.encode(new SettingsFrame(false, List.of()));
            byte[] goAway = encoder.encode(new GoAwayFrame(0, 0));
            spdy = Arrays.copyOf(settings, settings.length + goAway.length);
            System.arraycopy(goAway, 0, spdy, settings.length, goAway.length);
        }
        int[] cuts = {0, 3, 3, 10, spdy.length - 1, spdy.length}; // a head split, an empty message, a one-byte tail
        for (int i = 0; i + 1 < cuts.length; i++) {
            WebSockets.sendBinaryBlocking(ByteBuffer.wrap(Arrays.copyOfRange(spdy, cuts[i], cuts[i + 1])), channel);
        }
        client.closeFuture().get(WAIT, TimeUnit.SECONDS); // normally: the server went away with no channel open
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), pongs.poll(WAIT, TimeUnit.SECONDS));
        assertEquals(1000, closes.poll(WAIT, TimeUnit.SECONDS), "the client's close frame");
    }

    @Test
    void aTextMessageFailsTheClientsSession() throws Exception {
        Transport client = connect();
        WebSockets.sendTextBlocking("{}", connected.get(WAIT, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.closeFuture().get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ConnectionLostException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("text message"), e.getCause().getMessage());
    }

    @Test
    void anUpgradeAnswerWithTheWrongAcceptKeyFailsTheConnect() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    readHead(s.getInputStream());
                    OutputStream o = s.getOutputStream();
                    o.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: d3Jvbmc=\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    s.getInputStream().read(); // until the client gives up
                } catch (Exception e) {
                    // the client closed
                }
            });
            answer.setDaemon(true);
            answer.start();
            URI uri = URI.create("ws://127.0.0.1:" + fake.getLocalPort() + "/libchan");
            ConnectionLostException e = assertThrows(ConnectionLostException.class,
                    () -> Libchan.connect(uri, Settings.defaults()));
            assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
        }
    }

    private static void readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
        }
    }

    /** Records what the client sends. */
    private final class Recorder extends AbstractReceiveListener {
        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            binary.add(bytes(message.getData()));
        }

        @Override
        protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            pongs.add(bytes(message.getData()));
        }

        @Override
        protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
            closes.add(cm.getCode());
        }

        private byte[] bytes(Pooled<ByteBuffer[]> data) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (ByteBuffer b : data.getResource()) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                }
                return out.toByteArray();
            } finally {
                data.free();
            }
        }
    }
}
