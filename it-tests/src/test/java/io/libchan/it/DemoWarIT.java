package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.client.PoolWorker;
import io.libchan.example.client.Work;
import io.libchan.example.echo.EchoClientChecks;
import io.libchan.example.pool.BoardWatch;
import io.libchan.example.pool.PoolChecks;
import io.libchan.example.pool.PoolException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
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
 * JAX-RS resources (two of them calling channel endpoints through injected Senders), the web page,
 * and the raw libchan server's echo protocol from a Java client and from jschan.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DemoWarIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @ArquillianResource
    URL baseUrl;

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postText(URI uri, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(WAIT).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jaxRsResourceAnswersOverHttp() throws Exception {
        assertEquals(DemoWar.page("").toString(), baseUrl.toString());
        HttpResponse<String> r = get(HTTP, DemoWar.page("api/hello?name=libchan"));
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
    void injectedSenderInAJaxRsResourceReachesTheHelloEndpoint() throws Exception {
        HttpResponse<String> r = get(HTTP, DemoWar.page("api/hello/channel?name=inject"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("hello, inject", r.body());
    }

    @Test
    void jaxRsResourceSubmitsJobsToThePoolThroughAnInjectedSender() throws Exception {
        // the pool is not on the raw listener (anonymous: echo and hello only)
        try (Transport client = Libchan.connect(DemoWar.http("h2c")); Transport workerSession = Libchan.connect(DemoWar.http("ws"));
             BoardWatch board = BoardWatch.open(client)) {
            board.until("an empty pool", s -> s.workers().isEmpty());
            HttpResponse<String> none = postText(DemoWar.page("api/jobs"), "nobody there");
            assertEquals(502, none.statusCode(), none.body());
            assertEquals(PoolException.class.getName(), json(none.body()).get("error") instanceof Map<?, ?> e ? e.get("type") : null);
            try (PoolWorker worker = PoolWorker.join(workerSession, PoolChecks.unique("rest"), Work.shout())) {
                board.until("the worker", s -> s.workers().size() == 1);
                HttpResponse<String> done = postText(DemoWar.page("api/jobs"), "from jax-rs");
                assertEquals(200, done.statusCode(), done.body());
                Map<?, ?> result = json(done.body());
                assertEquals("FROM JAX-RS", result.get("result"));
                assertEquals(worker.name(), result.get("worker"));
            }
        }
    }

    @Test
    void statusShowsTheListenersAndThatLibchanRunsOnTheBundledJackson() throws Exception {
        HttpResponse<String> r = get(HTTP, DemoWar.page("api/status"));
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> status = json(r.body());
        Map<?, ?> servers = (Map<?, ?>) status.get("servers");
        assertEquals(DemoWar.libchanUri(), ((Map<?, ?>) servers.get("raw")).get("listen")); // without the query
        // the listener of libchan-undertow's mount, which libchan-cdi serves as the server "mount" by itself
        assertTrue(String.valueOf(((Map<?, ?>) servers.get("mount")).get("listen")).endsWith("/libchan-demo/libchan"), r.body());
        assertTrue(((List<?>) status.get("schemes")).containsAll(List.of("tcp", "tls", "ws", "h2c", "https")), r.body());
        assertEquals(System.getProperty("it.jackson.version"), status.get("jackson"));
    }

    @Test
    void theWebPageAndItsScriptsAreServedByTheWar() throws Exception {
        HttpResponse<String> page = get(HTTP, DemoWar.page(""));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>libchan worker pool</title>"), page.body());
        for (String script : List.of("libchan-http.js", "pool.js")) {
            assertEquals(200, get(HTTP, DemoWar.page(script)).statusCode(), script);
        }
    }

    @Test
    void javaClientGetsItsEchoOnNestedChannelsAndStreams() {
        try (Transport session = Libchan.connect(DemoWar.libchanUri())) {
            EchoClientChecks.all(session);
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

    private static Map<?, ?> json(String body) throws Exception {
        return new ObjectMapper().readValue(body, Map.class);
    }

    /** WildFly's certificate is self-signed, made on first use: trust it, and skip the host name check. */
    static SSLContext trustingEveryone() throws Exception {
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
