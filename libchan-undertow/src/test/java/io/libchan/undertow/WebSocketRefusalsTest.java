package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a WebSocket client that breaks the framing's rules is told (PROTOCOL.md sections 13.3, 13.4). */
@Timeout(30)
class WebSocketRefusalsTest {
    private Listener listener;

    @BeforeEach
    void listen() {
        listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults());
    }

    @AfterEach
    void close() {
        listener.close();
    }

    /** How the server closed: "code reason", or the error when it dropped the connection instead. */
    private static final class Closing implements WebSocket.Listener {
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("no close frame: " + error);
        }
    }

    @Test
    void aTextMessageOnLibchanSpdy3GetsClose1003WithAReason() throws Exception {
        Closing closing = new Closing();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("libchan.spdy3")
                .buildAsync(listener.uri(), closing).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertEquals("1003 libchan.spdy3 takes binary messages only", closing.closed.get(20, TimeUnit.SECONDS));
        } finally {
            ws.abort();
        }
    }

    @Test
    void offeringOnlySubprotocolsWeDoNotSpeakIsRefusedWith400() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("libchan.jsn", "chat").buildAsync(listener.uri(), new Closing()).get(10, TimeUnit.SECONDS));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(400, refused.getResponse().statusCode());
        assertTrue(String.valueOf(refused.getResponse().body()).contains("libchan.json"), String.valueOf(refused.getResponse().body()));
    }
}
