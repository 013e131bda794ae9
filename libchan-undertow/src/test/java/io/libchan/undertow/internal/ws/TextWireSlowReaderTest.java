package io.libchan.undertow.internal.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.WebSocketChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.Options;

/**
 * The {@code libchan.json} server wire ({@link UndertowTextWire}) and a browser that stops reading:
 * frames up to the send window are handed over without the sender waiting for the peer (a blocking
 * send used to hold the sending thread as soon as the socket buffers were full), they arrive in
 * order once the peer reads, and the close frame comes after them.
 */
@Timeout(60)
class TextWireSlowReaderTest {
    /** 1,536 frames of 512 chars: 768 KiB, far more than the socket buffers hold, less than the send window. */
    private static final int FRAMES = 1536;
    private static final int SIZE = 512;

    private Undertow server;
    private int port;
    private final CompletableFuture<UndertowTextWire> wire = new CompletableFuture<>();

    @BeforeEach
    void start() {
        io.libchan.undertow.LoopbackUndertow started = io.libchan.undertow.LoopbackUndertow.start(
                Handlers.websocket((exchange, channel) -> {
                    channel.resumeReceives();
                    wire.complete(new UndertowTextWire(channel, null, "slow reader"));
                }), b -> b.setSocketOption(Options.SEND_BUFFER, 8192));
        server = started.server();
        port = started.port();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void framesUpToTheWindowLeaveWithoutWaitingForAPeerThatDoesNotRead() throws Exception {
        Reader reader = new Reader();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), reader).get(10, TimeUnit.SECONDS);
        UndertowTextWire server = wire.get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < FRAMES; i++) {
                    server.send(frame(i));
                }
                server.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // the client has asked for nothing: the sender must still be done
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(0, reader.texts.size(), "nothing was read yet");

        socket.request(Long.MAX_VALUE);
        assertEquals(1000, reader.closed.get(30, TimeUnit.SECONDS), "the close frame, after every frame");
        assertEquals(FRAMES, reader.texts.size());
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(frame(i), reader.texts.get(i), "frame " + i);
        }
    }

    private static String frame(int i) {
        String n = Integer.toString(i);
        return n + "x".repeat(SIZE - n.length());
    }

    /** Reads only when asked to ({@code request}); keeps the whole text messages in order. */
    private static final class Reader implements WebSocket.Listener {
        final List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            // no request: the client reads nothing until the test asks
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
