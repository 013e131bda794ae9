package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import io.libchan.internal.transport.TlsSockets;
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
import java.util.Map;

/**
 * A servlet deployment at {@code /app} as a WAR on WildFly has it, with {@link LibchanServletExtension}
 * mounted at {@code /app/libchan} behind BASIC authentication and a constraint requiring role
 * {@code user} ({@link TestIdentities}), on 127.0.0.1: a cleartext listener (HTTP/1.1, h2c, ws) and a
 * TLS one (h2, wss) with {@link TestCertificates}. Its sessions are served by an {@link EchoApplication}.
 */
final class SecuredWar implements AutoCloseable {
    private final DeploymentManager deployment;
    private final Undertow server;
    private final EchoApplication app;

    private SecuredWar(DeploymentManager deployment, Undertow server, EchoApplication app) {
        this.deployment = deployment;
        this.server = server;
        this.app = app;
    }

    /** Deploys with these context parameters besides the mount path. */
    static SecuredWar start(Map<String, String> contextParams) throws Exception {
        DeploymentInfo war = Servlets.deployment()
                .setClassLoader(SecuredWar.class.getClassLoader())
                .setContextPath("/app")
                .setDeploymentName("app.war")
                .addInitParameter(LibchanServletExtension.PATH, "/libchan")
                .addServlet(Servlets.servlet("hello", HelloServlet.class).addMapping("/hello"))
                .setIdentityManager(new TestIdentities())
                .setLoginConfig(new LoginConfig("BASIC", "libchan"))
                .addSecurityRole("user")
                .addSecurityConstraint(new SecurityConstraint()
                        .addRoleAllowed("user")
                        .addWebResourceCollection(new WebResourceCollection().addUrlPattern("/libchan/*")));
        contextParams.forEach(war::addInitParameter);
        DeploymentManager deployment = Servlets.defaultContainer().addDeployment(war);
        deployment.deploy();
        Undertow server = Undertow.builder()
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpListener(0, "127.0.0.1")
                .addHttpsListener(0, "127.0.0.1", TlsSockets.context(TestCertificates.server()))
                .setHandler(Handlers.path().addPrefixPath("/app", deployment.start()))
                .build();
        server.start();
        LibchanEndpoint endpoint = (LibchanEndpoint) deployment.getDeployment().getServletContext()
                .getAttribute(LibchanServletExtension.ATTRIBUTE);
        return new SecuredWar(deployment, server, new EchoApplication(endpoint));
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    int tlsPort() {
        return ((InetSocketAddress) server.getListenerInfo().get(1).getAddress()).getPort();
    }

    /** The mount as {@code scheme://user:secret@127.0.0.1:port/app/libchan} (user null: none); TLS for h2, https, wss. */
    URI uri(String scheme, String user, String query) {
        boolean tls = scheme.equals("h2") || scheme.equals("https") || scheme.equals("wss");
        return URI.create(scheme + "://" + (user == null ? "" : user + ":secret@") + "127.0.0.1:"
                + (tls ? tlsPort() : port()) + "/app/libchan" + (query == null ? "" : "?" + query));
    }

    /** {@code http://127.0.0.1:port}, the deployment's own origin on the cleartext listener. */
    String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops and undeploys the deployment, as a WAR's undeploy does; the server keeps running. Idempotent. */
    void undeploy() throws Exception {
        if (deployment.getState() != DeploymentManager.State.UNDEPLOYED) {
            deployment.stop();
            deployment.undeploy();
        }
    }

    @Override
    public void close() throws Exception {
        app.close();
        server.stop();
        undeploy();
    }
}
