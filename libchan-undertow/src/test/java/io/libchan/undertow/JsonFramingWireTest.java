package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code libchan.json} framing byte for byte, as a browser would write it by hand from
 * PROTOCOL.md section 13 (section 4.6), against the Java server.
 */
@Timeout(30)
class JsonFramingWireTest {
    private Listener listener;
    private EchoApplication app;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private WebSocket ws;

    @BeforeEach
    void connect() throws Exception {
        listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults());
        app = new EchoApplication(listener);
        ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("libchan.json")
                .buildAsync(listener.uri(), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        frames.add("CLOSED " + statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals("libchan.json", ws.getSubprotocol());
    }

    @AfterEach
    void close() {
        ws.abort();
        app.close();
    }

    private static List<String> onChannel(List<String> frames, int id) {
        return frames.stream().filter(f -> f.contains("\"id\":" + id + ",") || f.endsWith("\"id\":" + id + "}"))
                .collect(Collectors.toList());
    }

    private void send(String frame) throws Exception {
        ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
    }

    private String next() throws InterruptedException {
        String f = frames.poll(10, TimeUnit.SECONDS);
        assertTrue(f != null, "no frame from the server");
        return f;
    }

    @Test
    void subscriptionExampleOfTheProtocolDocument() throws Exception {
        send("{\"op\":\"open\",\"id\":1}");
        send("{\"op\":\"msg\",\"id\":1,\"msg\":{\"cmd\":\"subscribe\",\"count\":2,\"ret\":{\"$sender\":3}}}");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(next());
        }
        // in order per channel; channels 2 and 3 may interleave
        assertEquals(List.of("{\"op\":\"msg\",\"id\":3,\"msg\":{\"events\":{\"$receiver\":2}}}",
                "{\"op\":\"close\",\"id\":3}"), onChannel(got, 3));
        assertEquals(List.of("{\"op\":\"msg\",\"id\":2,\"msg\":{\"event\":0}}",
                "{\"op\":\"msg\",\"id\":2,\"msg\":{\"event\":1}}",
                "{\"op\":\"close\",\"id\":2}"), onChannel(got, 2));
        assertTrue(got.get(0).contains("\"id\":3"), "the message naming channel 2 comes before any frame on it");
        send("{\"op\":\"close\",\"id\":1}");
        send("{\"op\":\"goaway\"}");
        assertEquals("CLOSED 1000", next());
    }

    @Test
    void writingPastTheCreditIsAProtocolError() throws Exception {
        send("{\"op\":\"open\",\"id\":1}");
        // hands the server a Receiver (id 5) that its application never reads: no credit comes back
        send("{\"op\":\"msg\",\"id\":1,\"msg\":{\"cmd\":\"nothing\",\"up\":{\"$receiver\":5}}}");
        for (int i = 0; i <= 64; i++) {
            try {
                send("{\"op\":\"msg\",\"id\":5,\"msg\":" + i + "}");
            } catch (Exception closedMeanwhile) {
                break;
            }
        }
        String f = next();
        assertTrue(f.startsWith("{\"op\":\"error\"") && f.contains("credit"), f);
        assertEquals("CLOSED 1002", next());
    }

    @Test
    void aChannelIdOfTheServersParityIsAProtocolError() throws Exception {
        send("{\"op\":\"open\",\"id\":2}");
        String f = next();
        assertTrue(f.startsWith("{\"op\":\"error\"") && f.contains("odd"), f);
        assertEquals("CLOSED 1002", next(), "a protocol error closes with 1002");
    }

    @Test
    void anUnknownOpIsAnErrorFrameThenClose1002() throws Exception {
        send("{\"op\":\"hello\",\"id\":1}");
        String f = next();
        assertTrue(f.startsWith("{\"op\":\"error\"") && f.contains("hello"), f);
        assertEquals("CLOSED 1002", next());
    }

    @Test
    void aBinaryMessageIsAnErrorFrameThenClose1003() throws Exception {
        ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        String f = next();
        assertTrue(f.startsWith("{\"op\":\"error\"") && f.contains("binary"), f);
        assertEquals("CLOSED 1003", next());
    }
}
