package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.LoginConfig;
import io.undertow.servlet.api.SecurityConstraint;
import io.undertow.servlet.api.WebResourceCollection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LibchanServletExtension} in a servlet deployment (as a WAR on WildFly gets it) whose
 * {@code <security-constraint>} covers the libchan path with BASIC authentication: the servlet
 * security refuses unauthenticated (401) and unauthorised (403) requests before any libchan frame
 * is read, and an accepted session knows its principal.
 */
@Timeout(60)
class ServletExtensionSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Undertow server;
    private DeploymentManager deployment;
    private EchoApplication app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        DeploymentInfo war = Servlets.deployment()
                .setClassLoader(getClass().getClassLoader())
                .setContextPath("/app")
                .setDeploymentName("app.war")
                .addInitParameter(LibchanServletExtension.PATH, "/libchan")
                .addInitParameter("io.libchan.maxMessageBytes", "65536")
                .addServlet(Servlets.servlet("hello", HelloServlet.class).addMapping("/hello"))
                .setIdentityManager(new TestIdentities())
                .setLoginConfig(new LoginConfig("BASIC", "libchan"))
                .addSecurityRole("user")
                .addSecurityConstraint(new SecurityConstraint()
                        .addRoleAllowed("user")
                        .addWebResourceCollection(new WebResourceCollection().addUrlPattern("/libchan/*")));
        deployment = Servlets.defaultContainer().addDeployment(war);
        deployment.deploy();
        server = Undertow.builder()
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/app", deployment.start()))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        LibchanEndpoint endpoint = (LibchanEndpoint) deployment.getDeployment().getServletContext()
                .getAttribute(LibchanServletExtension.ATTRIBUTE);
        assertEquals(65536, endpoint.settings().maxMessageBytes());
        app = new EchoApplication(endpoint);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        server.stop();
        deployment.stop();
        deployment.undeploy();
    }

    private URI uri(String scheme, String user) {
        return URI.create(scheme + "://" + (user == null ? "" : user + ":secret@") + "127.0.0.1:" + port + "/app/libchan");
    }

    private static String whoami(Transport t) {
        Pipe reply = Pipe.create();
        t.newSendChannel().send(Map.of("cmd", "whoami", "ret", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = reply.receiver().receive(Map.class, WAIT);
        return (String) got.get("principal");
    }

    @Test
    void unauthenticatedTunnelIsRefusedWith401() {
        ConnectionLostException e = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(uri("h2c", null), Settings.defaults()));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }

    @Test
    void userWithoutTheRoleIsRefusedWith403OnEveryProtocol() {
        ConnectionLostException h2 = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(uri("h2c", "bob"), Settings.defaults()));
        assertTrue(h2.getMessage().contains("HTTP 403"), h2.getMessage());
        ConnectionLostException ws = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(uri("ws", "bob"), Settings.defaults()));
        assertTrue(ws.getMessage().contains("HTTP 403"), ws.getMessage());
    }

    @Test
    void authenticatedSessionsKnowTheirPrincipal() {
        try (Transport h2c = Libchan.connect(uri("h2c", "alice"), Settings.defaults());
             Transport ws = Libchan.connect(uri("ws", "alice"), Settings.defaults())) {
            assertEquals("alice", whoami(h2c));
            assertEquals("alice", whoami(ws));
        }
    }

    @Test
    void curlCallsAreAuthenticatedLikeEverythingElse() throws Exception {
        Curl.assumeInstalled();
        String call = "http://127.0.0.1:" + port + "/app/libchan/call";
        assertEquals(401, Curl.run("--http1.1", "-H", "Content-Type: application/json", "--data-binary", "{}", call).status());
        Curl.Result ok = Curl.run("--http2-prior-knowledge", "-u", "alice:secret", "-H", "Content-Type: application/json",
                "--data-binary", "{\"cmd\":\"whoami\"}", call);
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("\"principal\":\"alice\""), ok.body());
        assertEquals(200, Curl.run("--http1.1", "http://127.0.0.1:" + port + "/app/hello").status());
    }
}
