package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.MessageBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How SPDY bytes travel in WebSocket messages: whole frames out (one or more per message), any split in. */
@Timeout(30)
class WebSocketFramingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Listener listener;
    private final ExecutorFreeListener raw = new ExecutorFreeListener();

    @BeforeEach
    void listen() {
        listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults());
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private WebSocket openRaw(String... subprotocols) throws Exception {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0]);
        }
        return b.buildAsync(listener.uri(), raw).get(10, TimeUnit.SECONDS);
    }

    @Test
    void serverSendsWholeSpdyFramesInEachBinaryMessage() throws Exception {
        WebSocket ws = openRaw(WebSocketSessions.SPDY);
        assertEquals(WebSocketSessions.SPDY, ws.getSubprotocol());
        Transport server = listener.accept(WAIT);
        server.newSendChannel().send(Map.of("big", new byte[100_000]));
        int frames = 0;
        while (frames < 3) { // SETTINGS, SYN_STREAM, DATA
            byte[] message = raw.messages.poll(10, TimeUnit.SECONDS);
            int at = 0;
            while (at < message.length) {
                int length = ((message[at + 5] & 0xff) << 16) | ((message[at + 6] & 0xff) << 8) | (message[at + 7] & 0xff);
                at += 8 + length;
                frames++;
                assertTrue(at <= message.length, "a frame split across messages");
            }
            if (message.length > MessageBatch.MAX_MESSAGE) {
                assertEquals(1, countFrames(message), "a frame over the batch limit travels alone");
            }
        }
        ws.abort();
        server.abort();
    }

    private static int countFrames(byte[] message) {
        int n = 0;
        for (int at = 0; at < message.length; n++) {
            at += 8 + (((message[at + 5] & 0xff) << 16) | ((message[at + 6] & 0xff) << 8) | (message[at + 7] & 0xff));
        }
        return n;
    }

    @Test
    void serverAcceptsAClientThatOffersNoSubprotocolAndReadsFramesSplitAtEveryByte() throws Exception {
        WebSocket ws = openRaw();
        assertEquals("", ws.getSubprotocol());
        SpdySession client = new SpdySession(new OneBytePerMessageWire(ws), false, Settings.defaults(), SessionThreads.executor());
        client.start();
        Transport server = listener.accept(WAIT);
        Pipe reply = Pipe.create();
        Sender out = client.newSendChannel();
        out.send(Map.of("cmd", "hi", "ret", reply.sender()));
        Receiver in = server.waitReceiveChannel(WAIT);
        @SuppressWarnings("unchecked")
        Map<String, Object> got = in.receive(Map.class, WAIT);
        assertEquals("hi", got.get("cmd"));
        assertTrue(got.get("ret") instanceof Sender);
        client.abort();
        server.abort();
    }

    @Test
    void plainGetOnTheWebSocketPathIsToldToUpgrade() throws Exception {
        var response = HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(listener.uri().toString().replace("ws://", "http://"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(426, response.statusCode());
        assertTrue(response.body().contains("libchan.spdy3"), response.body());
        assertNull(raw.messages.poll());
    }

    /** A wire that sends every byte of every frame as its own binary message. */
    private static final class OneBytePerMessageWire implements Wire {
        private final WebSocket ws;

        OneBytePerMessageWire(WebSocket ws) {
            this.ws = ws;
        }

        @Override
        public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
            for (byte b : head) {
                JdkWebSockets.await(ws.sendBinary(ByteBuffer.wrap(new byte[] {b}), true));
            }
            for (int i = 0; payload != null && i < len; i++) {
                JdkWebSockets.await(ws.sendBinary(ByteBuffer.wrap(new byte[] {payload[off + i]}), true));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            ws.abort();
        }

        @Override
        public String describe() {
            return "one-byte-messages";
        }
    }

    /** Records whole binary messages as they arrive. */
    private static final class ExecutorFreeListener implements WebSocket.Listener {
        final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        private ByteBuffer partial = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(partial.remaining() + data.remaining());
            joined.put(partial).put(data).flip();
            partial = joined;
            if (last) {
                byte[] m = new byte[partial.remaining()];
                partial.get(m);
                messages.add(m);
                partial = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
