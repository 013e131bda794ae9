package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR's libchan checks in WildFly's own MicroProfile Health (SmallRye Health, added by
 * {@code deploy/wildfly/libchan.cli}), on the management interface: readiness lists
 * {@code libchan-servers} UP for the WAR's raw servers, liveness {@code libchan-accept-loops}.
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
        URI uri = URI.create("http://127.0.0.1:" + WildFlyPorts.port("it.management.port") + path);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return JSON.readTree(r.body());
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
}
