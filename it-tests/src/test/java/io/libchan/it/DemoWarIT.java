package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.demo.echo.EchoClientChecks;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR, as built, deployed in a real WildFly; every test is a client outside the server: the
 * JAX-RS resources over HTTP and HTTP/2, then the raw libchan echo service over TCP from a Java
 * client and from jschan.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DemoWarIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @ArquillianResource
    URL baseUrl;

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jaxRsResourceAnswersOverHttp() throws Exception {
        assertEquals(DemoWar.http("").toString(), baseUrl.toString());
        HttpResponse<String> r = get(HttpClient.newBuilder().connectTimeout(WAIT).build(), DemoWar.http("api/hello?name=libchan"));
        assertEquals(200, r.statusCode());
        assertEquals("hello, libchan", r.body());
    }

    @Test
    void jaxRsResourceAnswersOverHttp2WithTls() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustingEveryone())
                .connectTimeout(WAIT).build();
        HttpResponse<String> r = get(client, DemoWar.https("api/hello"));
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("hello, world", r.body());
    }

    @Test
    void statusShowsTheListenerAndThatLibchanRunsOnTheBundledJackson() throws Exception {
        HttpResponse<String> r = get(HttpClient.newHttpClient(), DemoWar.http("api/libchan"));
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> status = new ObjectMapper().readValue(r.body(), Map.class);
        assertEquals(DemoWar.libchanUri(), status.get("listen")); // the bound address, without the query
        assertEquals(System.getProperty("it.jackson.version"), status.get("jackson"));
    }

    @Test
    void javaClientGetsAReplyOnItsNestedReplyChannel() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.replyComesBackOnTheNestedReplyChannel(session);
        }
    }

    @Test
    void javaClientHandsTheServerANestedChannelToRead() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.nestedChannelHandedToTheServerComesBackAsAList(session);
        }
    }

    @Test
    void javaClientHandsTheServerANestedChannelToWrite() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.senderHandedToTheServerIsGreetedThenClosed(session);
        }
    }

    @Test
    void javaClientReceivesAChannelTheServerMade() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.channelMadeByTheServerCarriesThreeEventsThenEnds(session);
        }
    }

    @Test
    void javaClientGetsItsByteStreamEchoed() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.byteStreamIsEchoedUntilItsEnd(session);
        }
    }

    @Test
    void jschanClientPassesItsFourChecks() throws Exception {
        JschanClient.assumeInstalled();
        JschanClient.Result r = JschanClient.runChecks(DemoWar.libchanPort());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(4, r.passed(), r.toString());
        assertTrue(r.lines().contains("all passed"), r.toString());
    }

    /** WildFly's certificate is self-signed, made on first use: trust it, and skip the host name check. */
    private static SSLContext trustingEveryone() throws Exception {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return tls;
    }
}
