package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/1.1 fallback as curl sees it, over HTTP/1.1, h2c with prior knowledge and h2 over TLS,
 * on one cleartext and one TLS server.
 */
@Timeout(60)
class HttpFallbackCurlTest {
    private static LibchanServer plain;
    private static LibchanServer secure;
    private static EchoApplication plainApp;
    private static EchoApplication secureApp;

    @BeforeAll
    static void start() throws Exception {
        Settings limits = Settings.builder().maxMessageBytes(4096).build();
        plain = LibchanServer.builder()
                .endpoint(LibchanEndpoint.builder().settings(limits).callTimeout(Duration.ofMillis(500)).build())
                .start();
        secure = LibchanServer.builder().tls(true).settings(TestCertificates.server()).start();
        plainApp = new EchoApplication(plain);
        secureApp = new EchoApplication(secure);
    }

    @AfterAll
    static void stop() {
        plainApp.close();
        secureApp.close();
        plain.close();
        secure.close();
    }

    @BeforeEach
    void needsCurl() {
        Curl.assumeInstalled();
    }

    private static String url(LibchanServer server, String path) {
        return (server == secure ? "https" : "http") + "://127.0.0.1:" + server.port() + "/libchan" + path;
    }

    private static Curl.Result call(String version, String path, String json, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(version, "-H", "Content-Type: application/json", "--data-binary", json));
        args.addAll(List.of(more));
        args.add(url(plain, path));
        return Curl.run(args.toArray(new String[0]));
    }

    @Test
    void http11CallGetsTheReplyAsTheJsonBody() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"echo\",\"n\":7}");
        assertEquals(200, r.status(), r.body());
        assertEquals("1.1", r.version());
        assertTrue(r.body().contains("\"n\":7") && r.body().contains("\"cmd\":\"echo\""), r.body());
    }

    @Test
    void priorKnowledgeHttp2CallGetsTheReplyAsTheJsonBody() throws Exception {
        Curl.Result r = call("--http2-prior-knowledge", "/call", "{\"cmd\":\"echo\",\"n\":8}");
        assertEquals(200, r.status(), r.body());
        assertEquals("2", r.version());
        assertTrue(r.body().contains("\"n\":8"), r.body());
    }

    @Test
    void tlsCallNegotiatesHttp2WithAlpn() throws Exception {
        Curl.Result r = Curl.run("--http2", "--cacert", TestCertificates.pem().toString(),
                "-H", "Content-Type: application/json", "--data-binary", "{\"cmd\":\"echo\",\"n\":9}", url(secure, "/call"));
        assertEquals(200, r.status(), r.body());
        assertEquals("2", r.version());
        assertTrue(r.body().contains("\"n\":9"), r.body());
    }

    @Test
    void namedCallArrivesOnAChannelOfThatName() throws Exception {
        Curl.Result r = call("--http1.1", "/call/orders", "{\"cmd\":\"echo\"}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"channel\":\"orders\""), r.body());
    }

    @Test
    void nestedReceiverInTheReplyStreamsAsServerSentEvents() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"subscribe\",\"count\":3}", "-N", "-H", "Accept: text/event-stream");
        assertEquals(200, r.status(), r.body());
        String expected = String.join("", List.of(
                "event: message\ndata: {\"channel\":0,\"message\":{\"events\":{\"$receiver\":1}}}\n\n"));
        assertTrue(r.body().startsWith(expected), r.body());
        for (int i = 0; i < 3; i++) {
            assertTrue(r.body().contains("event: message\ndata: {\"channel\":1,\"message\":{\"event\":" + i + "}}\n\n"), r.body());
        }
        assertTrue(r.body().contains("event: end\ndata: {\"channel\":1}\n\n"), r.body());
        assertTrue(r.body().contains("event: end\ndata: {\"channel\":0}\n\n"), r.body());
    }

    @Test
    void replyCarryingAReceiverWithoutAskingForEventsIs406() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"subscribe\"}");
        assertEquals(406, r.status(), r.body());
        assertTrue(r.body().contains("text/event-stream"), r.body());
    }

    @Test
    void replyCarryingASenderIs406() throws Exception {
        Curl.Result r = call("--http2-prior-knowledge", "/call", "{\"cmd\":\"sender\"}");
        assertEquals(406, r.status(), r.body());
        assertTrue(r.body().contains("HTTP/2 or WebSocket"), r.body());
    }

    @Test
    void callCarryingAChannelReferenceIs400() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"echo\",\"back\":{\"$sender\":3}}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("cannot carry channels"), r.body());
    }

    @Test
    void malformedJsonIs400AndANonObjectToo() throws Exception {
        assertEquals(400, call("--http1.1", "/call", "{\"cmd\":").status());
        assertEquals(400, call("--http1.1", "/call", "[1,2]").status());
        assertEquals(400, call("--http1.1", "/call", "{\"ret\":1}").status());
    }

    @Test
    void callOverTheMessageLimitIs413() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"echo\",\"pad\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(413, r.status(), r.body());
    }

    @Test
    void callNobodyAnswersIs504AfterTheCallTimeout() throws Exception {
        Curl.Result r = call("--http1.1", "/call", "{\"cmd\":\"silent\"}");
        assertEquals(504, r.status(), r.body());
    }

    @Test
    void getOnTheCallPathIs405AndNonJsonIs415() throws Exception {
        assertEquals(405, Curl.run("--http1.1", url(plain, "/call")).status());
        assertEquals(415, Curl.run("--http1.1", "-H", "Content-Type: text/plain", "--data-binary", "hi", url(plain, "/call")).status());
    }

    @Test
    void sessionTunnelOverHttp11Is426AndUnknownPathsAre404() throws Exception {
        Curl.Result r = Curl.run("--http1.1", "-H", "Content-Type: application/vnd.libchan.spdy3", "--data-binary", "x",
                url(plain, "/session"));
        assertEquals(426, r.status(), r.body());
        assertTrue(r.body().contains("HTTP/2"), r.body());
        assertEquals(404, Curl.run("--http1.1", url(plain, "/nope")).status());
    }
}
