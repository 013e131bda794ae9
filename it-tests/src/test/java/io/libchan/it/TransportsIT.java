package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A Java client reaches the deployed endpoints over every transport the WAR serves: the raw
 * SPDY/3 servers libchan-cdi opens ({@code tcp://}, and {@code tls://} with the test key store), and
 * libchan-undertow's ServletExtension on WildFly's own listeners: HTTP/2 cleartext with prior
 * knowledge on 8080, HTTP/2 over TLS on 8443, WebSocket (SPDY frames, and the JSON framing browsers
 * use) and the HTTP/1.1 fallback.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TransportsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    private static String uri(String transport) {
        return switch (transport) {
            case "tcp" -> DemoWar.libchanUri();
            case "tls" -> DemoWar.libchanTlsUri();
            case "ws-json" -> DemoWar.http("ws") + "?codec=json";
            default -> DemoWar.http(transport);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "h2c", "https", "ws", "wss", "ws-json"})
    void helloEndpointAnswersOnTheNestedReplyChannel(String transport) {
        try (Transport session = Libchan.connect(uri(transport))) {
            Pipe ret = Pipe.create();
            Sender hello = session.newSendChannel("hello");
            hello.send(new HelloRequest(transport, ret.sender()), WAIT);
            hello.close();
            assertEquals(new Greeting("hello, " + transport), ret.receiver().receive(Greeting.class, WAIT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tls", "h2c", "ws"})
    void echoCarriesNestedChannelsAndByteStreams(String transport) {
        try (Transport session = Libchan.connect(uri(transport))) {
            ThreadDumps.onFailure("echo-" + transport, () -> EchoClientChecks.all(session));
        }
    }

    /**
     * The HTTP/2 tunnel looks into Undertow's stream buffer to send what a short flow-control window
     * held back (libchan-undertow's SinkRemainder); behind WildFly's exchange wrappers it must still
     * find it, or it logs a warning and a tunnel can stall on its last write.
     */
    @Test
    void http2TunnelsFindUndertowsStreamBufferOnWildFly() throws Exception {
        for (String transport : new String[] {"h2c", "https"}) {
            helloEndpointAnswersOnTheNestedReplyChannel(transport);
        }
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("it.wildfly.home"), "standalone", "log", "server.log");
        String text = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        int boot = text.lastIndexOf("WFLYSRV0025"); // "started in": this run's server, not an earlier one's
        assertTrue(boot >= 0, "the server log is WildFly's: " + log);
        text = text.substring(boot);
        assertTrue(!text.contains("cannot see the write buffer"), "SinkRemainder is blind on WildFly: see " + log);
    }

    @Test
    void http11FallbackCallGetsTheReplyAsJson() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
        URI call = URI.create(DemoWar.http("http") + "/call/hello");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(call).timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"fallback\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals("{\"greeting\":\"hello, fallback\"}", r.body().trim());
    }

    @Test
    void http11FallbackStreamsTheBoardAsServerSentEvents() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
        URI call = URI.create(DemoWar.http("http") + "/call/board");
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(call).timeout(WAIT)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        try (java.util.stream.Stream<String> lines = r.body()) {
            java.util.List<String> first = lines.limit(2).toList();
            assertEquals("event: message", first.get(0));
            assertTrue(first.get(1).startsWith("data: {\"channel\":0,\"message\":{\"version\":"), first.get(1));
        }
    }
}
