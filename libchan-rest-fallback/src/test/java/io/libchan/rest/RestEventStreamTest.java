package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event-stream form of a call (PROTOCOL.md section 13.6.3) through JAX-RS {@code SseEventSink}: the
 * reply is channel 0, the Receiver it carries channel 1, whose messages follow as events of their own,
 * each channel ends with an {@code end} event, and the response ends after the last one.
 */
@Timeout(60)
class RestEventStreamTest {
    static FallbackServer app;

    @BeforeAll
    static void start() throws Exception {
        app = FallbackServer.start(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** A whole response: its status, headers and lines (the stream's, once the server ended it). */
    record Answer(int status, java.net.http.HttpHeaders headers, List<String> lines) {
    }

    private static Answer events(String endpoint, String json) throws Exception {
        HttpRequest request = Http.request(app.http("/api/libchan/call/" + endpoint), "alice")
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<java.util.stream.Stream<String>> r = Http.client().send(request, HttpResponse.BodyHandlers.ofLines());
        return new Answer(r.statusCode(), r.headers(), r.body().collect(Collectors.toList()));
    }

    /** The events of a stream as "name data" strings, comments and blank lines dropped. */
    private static List<String> parse(List<String> lines) {
        List<String> events = new java.util.ArrayList<>();
        String name = "message";
        for (String line : lines) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                events.add(name + " " + line.substring(5).trim());
                name = "message";
            }
        }
        return events;
    }

    @Test
    void theReplyAndTheEventsOfItsNestedChannelArriveAsServerSentEvents() throws Exception {
        Answer r = events("events", "{\"topic\":\"news\"}");
        assertEquals(200, r.status());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), r.headers().toString());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), r.headers().toString());
        assertEquals("no", r.headers().firstValue("X-Accel-Buffering").orElse(""), r.headers().toString());
        List<String> events = parse(r.lines());
        assertTrue(events.contains("message {\"channel\":0,\"message\":{\"events\":{\"$receiver\":1},\"topic\":\"news\"}}")
                || events.contains("message {\"channel\":0,\"message\":{\"topic\":\"news\",\"events\":{\"$receiver\":1}}}"), events.toString());
        List<String> onChannel1 = events.stream().filter(e -> e.contains("\"channel\":1")).collect(Collectors.toList());
        assertEquals(List.of(
                "message {\"channel\":1,\"message\":{\"event\":0,\"topic\":\"news\"}}",
                "message {\"channel\":1,\"message\":{\"event\":1,\"topic\":\"news\"}}",
                "message {\"channel\":1,\"message\":{\"event\":2,\"topic\":\"news\"}}",
                "end {\"channel\":1}"), onChannel1.stream().map(RestEventStreamTest::sortedEvent).collect(Collectors.toList()));
        assertTrue(events.contains("end {\"channel\":0}"), events.toString());
        assertEquals(5 + 1, events.size(), events.toString());
    }

    /** Map key order is not significant: event and topic in a fixed order for comparison. */
    private static String sortedEvent(String e) {
        return e.replace("{\"topic\":\"news\",\"event\":0}", "{\"event\":0,\"topic\":\"news\"}")
                .replace("{\"topic\":\"news\",\"event\":1}", "{\"event\":1,\"topic\":\"news\"}")
                .replace("{\"topic\":\"news\",\"event\":2}", "{\"event\":2,\"topic\":\"news\"}");
    }

    @Test
    void aPlainReplyIsOneEventThenTheEnd() throws Exception {
        Answer r = events("echo", "{\"n\":1}");
        List<String> events = parse(r.lines());
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("message {\"channel\":0,\"message\":{\"n\":1,"), events.toString());
        assertEquals("end {\"channel\":0}", events.get(1));
    }

    @Test
    void noFirstEventWithinTheCallTimeoutIs504NotAnEventStream() throws Exception {
        Answer r = events("hold", "{}");
        assertEquals(504, r.status(), r.lines().toString());
        assertTrue(String.join("\n", r.lines()).contains("\"type\":\"timeout\""), r.lines().toString());
    }

    @Test
    void refusalsBeforeTheStreamAreOrdinaryResponses() throws Exception {
        Answer r = events("echo", "{\"ret\":true}");
        assertEquals(400, r.status());
        assertTrue(String.join("\n", r.lines()).contains("\"type\":\"bad-request\""), r.lines().toString());
    }
}
