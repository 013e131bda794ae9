package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libchan.js opens a channel with {@code traceparent} and {@code tracestate} in its {@code open}
 * frame when asked ({@code session.open(name, { traceparent, tracestate })}), and not otherwise;
 * the Java server hands them to its application as the channel's {@link Receiver#traceContext()}.
 * Runs libchan.js in node (its WebSocket: node 20's {@code --experimental-websocket}); skipped
 * without node, failed without it when {@code LIBCHAN_TOOLS_REQUIRED} is set.
 */
@Timeout(60)
class LibchanJsTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path LIBCHAN_JS = Path.of("src/main/resources/META-INF/resources/libchan/libchan.js");
    private static final Path SCRIPT = Path.of("src/test/browser/open-with-trace.mjs");
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aChannelOpenedWithATraceparentCarriesItToTheServer() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults())) {
            Process node = startNode(listener.uri().toString());
            try {
                Transport session = listener.accept(WAIT);
                Receiver traced = session.waitReceiveChannel(WAIT);
                assertEquals(Map.of("traceparent", TRACEPARENT, "tracestate", "shop=1"), traced.traceContext());
                assertEquals(1, ((Number) traced.receive(Map.class, WAIT).get("n")).intValue());
                Receiver plain = session.waitReceiveChannel(WAIT);
                assertEquals(Map.of(), plain.traceContext(), "opened without one");
                assertTrue(node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "node did not finish");
                String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, node.exitValue(), out);
                session.abort();
            } finally {
                node.destroyForcibly();
            }
        }
    }

    private static Process startNode(String url) throws IOException {
        try {
            return new ProcessBuilder("node", "--experimental-websocket", SCRIPT.toString(), LIBCHAN_JS.toAbsolutePath().toString(),
                    url, TRACEPARENT, "shop=1").redirectErrorStream(true).start();
        } catch (IOException e) {
            String message = "needs node (20 or later): " + e.getMessage();
            if (System.getenv("LIBCHAN_TOOLS_REQUIRED") != null) {
                fail(message + "; LIBCHAN_TOOLS_REQUIRED is set");
            }
            Assumptions.abort(message + "; skipped");
            throw e;
        }
    }
}
