package io.libchan.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's first command, in-process: the demo runs every step and says so; the web page and its event stream are served. */
@Timeout(120)
class EmbeddedDemoTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void theDemoRunsEveryStepAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[0], new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
        for (String expected : new String[] {"-> {\"greeting\":\"hello, h2c\"}", "Greeter.greet(\"bean\") -> \"hello, bean\"",
                "the board shows [tcp-worker, ws-worker]", "result \"LIBCHAN IS LIKE GO CHANNELS\"",
                "job \"boom\" -> error reply from the worker", "the board shows [ws-worker]",
                "-> 200 {\"greeting\":\"hello, curl\"}", "\"result\":\"OVER PLAIN HTTP\"",
                "the client's board watch ended", "were closed by the server, cleanly", "demo OK"}) {
            assertTrue(printed.contains(expected), "missing '" + expected + "' in:\n" + printed);
        }
    }

    @Test
    void badUsageExits64() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(64, Main.run(new String[] {"--nonsense"}, print, print));
    }

    @Test
    void thePageAndItsBoardStreamAreServedOnTheLibchanPort() throws Exception {
        try (EmbeddedService service = EmbeddedService.start(0, 0)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(service.page()).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>libchan worker pool</title>"), page.body());
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(service.page().resolve("libchan-http.js"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, script.statusCode());

            // what pool.js does: POST {} to call/board asking for an event stream; the first event is the board
            HttpResponse<java.io.InputStream> board = http.send(HttpRequest.newBuilder(URI.create(service.http("http") + "/call/board"))
                    .timeout(WAIT).header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, board.statusCode());
            assertEquals("text/event-stream", board.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            try (BufferedReader events = new BufferedReader(new InputStreamReader(board.body(), StandardCharsets.UTF_8))) {
                assertEquals("event: message", events.readLine());
                String data = events.readLine();
                assertTrue(data.startsWith("data: {\"channel\":0,\"message\":{\"version\":") && data.contains("\"workers\":[]"), data);
            }
        }
    }
}
