package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR's libchan checks in WildFly's own MicroProfile Health (SmallRye Health, added by
 * {@code deploy/wildfly/libchan.cli}), on the management interface: readiness lists
 * {@code libchan-servers} UP for the WAR's raw servers, liveness {@code libchan-accept-loops}; and
 * its libchan metrics in WildFly's own Prometheus endpoint ({@code /metrics}, the micrometer
 * subsystem's registry, also added there), beside WildFly's.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    private static JsonNode health(String path) throws Exception {
        return JSON.readTree(management(path));
    }

    private static String management(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + WildFlyPorts.port("it.management.port") + path);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return r.body();
    }

    /**
     * The WAR's check of that name: the one that lists the WAR's raw server. WildFly 38 keeps the
     * checks of a deployment that failed to start (DemoWarLifecycleIT's taken port), which then
     * answer UP with no data.
     */
    private static JsonNode check(JsonNode body, String name) {
        for (JsonNode c : body.get("checks")) {
            if (c.get("name").asText().equals(name) && c.has("data") && c.get("data").has("raw")) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " listing the server raw in " + body);
    }

    @Test
    void wildFlysReadinessShowsTheWarsServersUp() throws Exception {
        JsonNode ready = health("/health/ready");
        assertEquals("UP", ready.get("status").asText(), ready.toString());
        JsonNode servers = check(ready, "libchan-servers");
        assertEquals("UP", servers.get("status").asText(), ready.toString());
        assertEquals("UP", servers.get("data").get("raw").asText(), ready.toString());
        assertEquals("UP", servers.get("data").get("secure").asText(), ready.toString());
    }

    @Test
    void wildFlysLivenessShowsTheWarsAcceptLoopsUp() throws Exception {
        JsonNode live = health("/health/live");
        assertEquals("UP", live.get("status").asText(), live.toString());
        assertEquals("UP", check(live, "libchan-accept-loops").get("status").asText(), live.toString());
    }

    /**
     * After a call of {@code hello} on the WAR's raw server, WildFly's {@code /metrics} (management
     * port) lists that listener's messages and the endpoint's calls under their Prometheus names.
     * The values are read when the endpoint is scraped: no waiting for an export.
     */
    @Test
    void wildFlysMetricsEndpointListsTheWarsLibchanMetrics() throws Exception {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            Pipe ret = Pipe.create();
            Sender hello = session.newSendChannel("hello");
            hello.send(new HelloRequest("metrics", ret.sender()), WAIT);
            hello.close();
            assertEquals(new Greeting("hello, metrics"), ret.receiver().receive(Greeting.class, WAIT));
        }
        List<String> lines = management("/metrics").lines().filter(l -> l.startsWith("libchan_")).toList();
        String listener = "libchan_listener=\"" + DemoWar.libchanUri(); // the listener's URI, maybe with its query
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("libchan_messages_received_total{") && l.contains(listener)
                && value(l) >= 1), "the raw listener's messages in " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("libchan_sessions_open{") && l.contains(listener)),
                "the raw listener's sessions in " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("libchan_endpoint_duration_seconds_count{")
                && l.contains("libchan_endpoint=\"hello\"") && value(l) >= 1), "hello's calls in " + lines);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
