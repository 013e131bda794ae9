package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libchan mounted with a {@link PathHandler} beside an application's servlet deployment, on the
 * application's own Undertow server and port: both keep answering, over every protocol.
 */
@Timeout(60)
class MountBesideApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Undertow server;
    private DeploymentManager servlets;
    private LibchanEndpoint libchan;
    private EchoApplication app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        DeploymentInfo api = Servlets.deployment()
                .setClassLoader(getClass().getClassLoader())
                .setContextPath("/api")
                .setDeploymentName("api.war")
                .addServlet(Servlets.servlet("hello", HelloServlet.class).addMapping("/hello"));
        servlets = Servlets.defaultContainer().addDeployment(api);
        servlets.deploy();
        HttpHandler apiHandler = servlets.start();

        libchan = LibchanEndpoint.create(Settings.defaults());
        PathHandler paths = Handlers.path().addPrefixPath("/api", apiHandler);
        libchan.mountOn(paths, "/libchan");
        LoopbackUndertow started = LoopbackUndertow.start(paths, b -> { });
        server = started.server();
        port = started.port();
        app = new EchoApplication(libchan);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        server.stop();
        servlets.stop();
        servlets.undeploy();
    }

    /** GET /api/hello with the JDK client, which starts with HTTP/1.1 and, unless told not to, asks for {@code Upgrade: h2c}. */
    private String hello(HttpClient.Version version) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(version).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static void assertEchoes(Transport t) {
        Pipe reply = Pipe.create();
        t.newSendChannel().send(Map.of("cmd", "echo", "n", 5, "ret", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = reply.receiver().receive(Map.class, WAIT);
        assertEquals(5L, got.get("n"));
    }

    @Test
    void servletKeepsAnsweringWhileLibchanSessionsRunOnTheSamePort() throws Exception {
        assertEquals("hello over HTTP/1.1\n", hello(HttpClient.Version.HTTP_1_1));
        try (Transport h2c = Libchan.connect(URI.create("h2c://127.0.0.1:" + port + "/libchan"), Settings.defaults());
             Transport ws = Libchan.connect(URI.create("ws://127.0.0.1:" + port + "/libchan"), Settings.defaults());
             Transport json = Libchan.connect(URI.create("ws://127.0.0.1:" + port + "/libchan?codec=json"), Settings.defaults())) {
            assertEchoes(h2c);
            assertEchoes(ws);
            assertEchoes(json);
            assertEquals("hello over HTTP/2.0\n", hello(HttpClient.Version.HTTP_2)); // via Upgrade: h2c
            assertEchoes(h2c);
        }
    }

    @Test
    void curlReachesTheServletOverHttp2AndLibchanOverHttp11OnOnePort() throws Exception {
        Curl.assumeInstalled();
        Curl.Result servlet = Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + port + "/api/hello");
        assertEquals(200, servlet.status());
        assertEquals("hello over HTTP/2.0\n", servlet.body());
        Curl.Result call = Curl.run("--http1.1", "-H", "Content-Type: application/json", "--data-binary",
                "{\"cmd\":\"echo\",\"n\":3}", "http://127.0.0.1:" + port + "/libchan/call");
        assertEquals(200, call.status(), call.body());
        assertTrue(call.body().contains("\"n\":3"), call.body());
    }
}
