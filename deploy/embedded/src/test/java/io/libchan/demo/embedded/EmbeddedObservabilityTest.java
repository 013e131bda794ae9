package io.libchan.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's {@code /metrics} (Prometheus text from the OpenTelemetry SDK it installs) and
 * {@code /health} (MicroProfile Health JSON of libchan-cdi's checks): after a call, the metrics
 * count it and the open sessions; health is UP while the servers take sessions and goes DOWN, 503,
 * once the web port's libchan endpoint stops taking them.
 */
@Timeout(120)
class EmbeddedObservabilityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreServedAsPrometheusTextCountingTheCallsMade() throws Exception {
        try (EmbeddedService service = EmbeddedService.start(0, 0)) {
            HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create(service.http("http") + "/call/hello"))
                    .timeout(WAIT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"metrics\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode(), hello.body());
            try (Transport tcp = Libchan.connect(service.raw().toString())) { // a SPDY session: libchan's session metrics
                Pipe reply = Pipe.create();
                tcp.newSendChannel("hello").send(Map.of("name", "tcp", "ret", reply.sender()));
                assertEquals(Map.of("greeting", "hello, tcp"), reply.receiver().receive(Object.class, WAIT));
            }

            HttpResponse<String> metrics = get(service.observability("metrics"));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().toString());
            String text = metrics.body();
            assertTrue(text.contains("# TYPE libchan_demo_calls_total counter"), text);
            assertTrue(sample(text, "libchan_demo_calls_total", "libchan_endpoint=\"hello\"", "libchan_outcome=\"ok\"") >= 1, text);
            assertTrue(text.contains("# TYPE libchan_demo_sessions_open gauge"), text);
            assertTrue(sample(text, "jvm_memory_used_bytes") > 0, text);
            assertTrue(sample(text, "jvm_thread_count") > 0, text);
            assertTrue(DemoTelemetry.get().isGlobal(), "the libraries' instruments report to the demo's SDK");
            // libchan's own instruments (libchan-core's metrics), what the page's chart prefers
            assertTrue(sample(text, "libchan_messages_received_total") >= 1, text);
            assertTrue(text.contains("# TYPE libchan_sessions_open"), text);
        }
    }

    @Test
    void healthIsUpWhileTheServersTakeSessionsAndDownOnceTheWebEndpointStops() throws Exception {
        try (EmbeddedService service = EmbeddedService.start(0, 0)) {
            HttpResponse<String> up = get(service.observability("health"));
            assertEquals(200, up.statusCode(), up.body());
            JsonNode body = JSON.readTree(up.body());
            assertEquals("UP", body.get("status").asText(), up.body());
            assertEquals(List.of("libchan-accept-loops", "libchan-servers"), names(body.get("checks")));
            assertEquals("UP", check(body, "libchan-servers").get("data").get("web").asText());
            assertEquals("UP", check(body, "libchan-servers").get("data").get("raw").asText());
            assertEquals(List.of("libchan-servers"), names(JSON.readTree(get(service.observability("health/ready")).body()).get("checks")));
            assertEquals(List.of("libchan-accept-loops"), names(JSON.readTree(get(service.observability("health/live")).body()).get("checks")));

            service.stopWebSessions();
            HttpResponse<String> down = get(service.observability("health/ready"));
            assertEquals(503, down.statusCode(), down.body());
            JsonNode downBody = JSON.readTree(down.body());
            assertEquals("DOWN", downBody.get("status").asText());
            assertEquals("DOWN: listener closed", check(downBody, "libchan-servers").get("data").get("web").asText());
        }
    }

    /** The sum of the samples of {@code name} whose labels hold every one of {@code labels}. */
    private static double sample(String text, String name, String... labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String label : labels) {
                    all &= line.contains(label);
                }
                if (all) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private static List<String> names(JsonNode checks) {
        List<String> names = new ArrayList<>();
        checks.forEach(c -> names.add(c.get("name").asText()));
        names.sort(null);
        return names;
    }

    private static JsonNode check(JsonNode body, String name) {
        for (JsonNode c : body.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + body);
    }
}
