package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Dialect;
import io.libchan.Libchan;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.spdy.SpdyFrameEncoder;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that ignores flow control (it never sends SETTINGS, as a hostile or a Go peer may) floods a
 * top-level channel the application does not read yet, over WebSocket and over the HTTP/2 tunnel.
 * The session is read on Undertow's I/O thread, which serves every other connection too: once the
 * session holds as much unread input as it may (64 MiB), reading pauses, so the peer meets TCP's (or
 * HTTP/2's) window; its session is not failed, no thread waits for it (the endpoint has one session
 * thread, and other sessions are served meanwhile), and once the application reads, every message
 * arrives, in order, and the peer's end of input after them.
 *
 * <p>Before sessions read on the I/O thread, the tunnel failed such a session with GOAWAY, and the
 * WebSocket parked a session thread in its flow control until the application read, which here
 * (one session thread) stopped every other WebSocket session of the endpoint.
 */
@Timeout(180)
class FloodPausesSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** What a session may hold unread from a peer without windows (Settings defaults: 64 MiB). */
    private static final long SESSION_LIMIT = 64L << 20;
    private static final int PAD = 60 * 1024;
    /** About 118 MiB: well past what the session takes, plus anything sockets can hold. */
    private static final int MESSAGES = 2000;

    @TempDir
    Path dir;
    private final ExecutorService oneSessionThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "the-endpoints-only-session-thread");
        t.setDaemon(true);
        return t;
    });
    private LibchanServer server;
    private EchoApplication app;

    private void start(String scheme) {
        LibchanEndpoint endpoint = LibchanEndpoint.builder().executor(oneSessionThread).build();
        server = LibchanServer.builder().scheme(scheme).endpoint(endpoint).start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (server != null) {
            server.close();
        }
        oneSessionThread.shutdownNow();
    }

    @Test
    void aWebSocketFloodPausesItsSessionAndEveryMessageArrivesOnceRead() throws Exception {
        start("ws");
        WebSocket raw = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("libchan.spdy3")
                .buildAsync(server.endpoint().uri(), new Discard()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SpdySession flooded = (SpdySession) server.endpoint().accept(WAIT);
        app = new EchoApplication(server.endpoint());

        AtomicLong sent = new AtomicLong();
        AtomicReference<Throwable> floodFailure = new AtomicReference<>();
        Thread flood = new Thread(() -> {
            try {
                for (byte[] frame : new Flood()) {
                    raw.sendBinary(ByteBuffer.wrap(frame), true).get(); // one message per frame
                    sent.addAndGet(frame.length);
                }
                raw.sendClose(WebSocket.NORMAL_CLOSURE, "").get(); // the end of input, after every message
            } catch (Throwable t) {
                floodFailure.set(t);
            }
        }, "flood");
        flood.setDaemon(true);
        flood.start();

        awaitPaused(flooded);
        assertOtherSessionsAreServed("ws");
        long held = sent.get();
        assertTrue(held < SESSION_LIMIT + (32L << 20), "the peer got " + held + " bytes in while the session was paused");

        assertEveryMessageArrivesInOrder(flooded);
        flood.join(WAIT.toMillis());
        assertNull(floodFailure.get(), () -> "the flood failed: " + floodFailure.get());
        assertEquals(Flood.BYTES, sent.get());
    }

    @Test
    void aTunnelFloodPausesItsSessionAndEveryMessageArrivesOnceRead() throws Exception {
        Curl.assumeInstalled();
        start("h2c");
        Path body = dir.resolve("flood.spdy");
        try (OutputStream out = Files.newOutputStream(body)) {
            for (byte[] frame : new Flood()) {
                out.write(frame);
            }
        }
        // curl posts the whole body (prior-knowledge h2c) and prints the status once the session's response ends
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "150", "--http2-prior-knowledge",
                "-H", "Content-Type: application/vnd.libchan.spdy3", "--data-binary", "@" + body,
                "-o", dir.resolve("answer.bin").toString(), "-w", "%{http_code}",
                "http://127.0.0.1:" + server.port() + "/libchan/session")
                .redirectErrorStream(true).start();
        try {
            SpdySession flooded = (SpdySession) server.endpoint().accept(WAIT);
            app = new EchoApplication(server.endpoint());

            awaitPaused(flooded);
            assertOtherSessionsAreServed("h2c");
            assertTrue(curl.isAlive(), "the whole flood went in while the session was paused");

            assertEveryMessageArrivesInOrder(flooded);
            assertTrue(curl.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "curl did not finish its upload");
            assertEquals("200", new String(curl.getInputStream().readAllBytes()).trim());
        } finally {
            curl.destroyForcibly();
        }
    }

    /**
     * Waits until the session stops reading. There is no event for that, so its state is polled;
     * the session must stay open meanwhile (a session that fails instead of pausing is the bug).
     */
    private static void awaitPaused(SpdySession s) {
        long deadline = System.nanoTime() + WAIT.toNanos() * 3;
        while (s.readingAllowed()) {
            assertTrue(s.isOpen(), "the flood ended its session instead of pausing it");
            if (System.nanoTime() - deadline > 0) {
                fail("the session never paused");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        assertTrue(s.isOpen(), "the flood ended its session instead of pausing it");
    }

    /** A client of the same server, on a new connection, is answered while the flood waits. */
    private void assertOtherSessionsAreServed(String scheme) {
        for (int i = 0; i < 3; i++) {
            Transport client = Libchan.connect(URI.create(scheme + "://127.0.0.1:" + server.port() + "/libchan"), Settings.defaults());
            try {
                Sender requests = client.newSendChannel();
                Pipe ret = Pipe.create();
                requests.send(Map.of("cmd", "echo", "n", i, Messages.RET, ret.sender()));
                Object reply = ret.receiver().receive(Object.class, WAIT);
                assertEquals((long) i, ((Number) Messages.field(reply, "n").orElseThrow()).longValue(), String.valueOf(reply));
                requests.close();
            } finally {
                client.close();
            }
        }
    }

    /** The application reads the flooded channel: every message, in order, nothing lost. */
    private static void assertEveryMessageArrivesInOrder(SpdySession flooded) {
        assertTrue(flooded.isOpen(), "the session ended while paused");
        Receiver channel = flooded.waitReceiveChannel(WAIT);
        for (int i = 0; i < MESSAGES; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = channel.receive(Map.class, WAIT);
            assertEquals((long) i, ((Number) m.get("seq")).longValue());
            assertArrayEquals(Flood.pad(i), (byte[]) m.get("pad"), "message " + i);
        }
    }

    /**
     * The flood's SPDY frames, made as they are needed: a SYN_STREAM opening top-level channel 1
     * (no SETTINGS first: no windows are agreed), then one DATA frame per message {@code {seq, pad}}.
     */
    private static final class Flood implements Iterable<byte[]> {
        private static final MessageCodec CODEC = MessageCodecs.create(Dialect.HEAD, Settings.defaults());
        static final long BYTES = bytes(); // after CODEC, which it uses

        static byte[] pad(int seq) {
            byte[] pad = new byte[PAD];
            java.util.Arrays.fill(pad, (byte) seq);
            return pad;
        }

        private static long bytes() {
            long n = 0;
            for (byte[] frame : new Flood()) {
                n += frame.length;
            }
            return n;
        }

        @Override
        public java.util.Iterator<byte[]> iterator() {
            SpdyFrameEncoder encoder = new SpdyFrameEncoder();
            return new java.util.Iterator<>() {
                private int next = -1;

                @Override
                public boolean hasNext() {
                    return next < MESSAGES;
                }

                @Override
                public byte[] next() {
                    int seq = next++;
                    if (seq < 0) {
                        return encoder.encode(new SynStreamFrame(1, 0, 0, false, false,
                                SpdyHeaders.builder().add("libchan-ref", "1").build()));
                    }
                    byte[] message = CODEC.encode(Map.of("seq", seq, "pad", pad(seq)), EncodeContext.NONE);
                    return encoder.encodeData(1, false, message, 0, message.length);
                }
            };
        }
    }

    /** Reads and drops what the server sends the raw peer (its SETTINGS). */
    private static final class Discard implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }
    }
}
