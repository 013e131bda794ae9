package io.libchan.rest;

import io.libchan.cdi.ChannelServers;
import io.libchan.cdi.internal.LibchanExtension;
import io.libchan.rest.internal.RestCalls;
import io.libchan.rest.internal.RestFallback;
import io.libchan.undertow.LibchanEndpoint;
import io.libchan.undertow.LibchanServletExtension;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.LoginConfig;
import io.undertow.servlet.api.SecurityConstraint;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import io.undertow.servlet.api.WebResourceCollection;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A web application as a WAR on WildFly has it, on 127.0.0.1 and a free port, without WildFly: CDI
 * (Weld SE with libchan-cdi and this module's beans), MicroProfile Config (SmallRye, registered for the
 * deployment's class loader), a servlet deployment at {@code /app} on Undertow with RESTEasy serving
 * {@link TestApplication} at {@code /api}, Jakarta WebSocket (undertow-websockets-jsr, dispatching to
 * worker threads as WildFly does), this jar's {@link LibchanWebSocketInstaller} run as the container
 * runs the initializers of {@code WEB-INF/lib} jars, the jar's {@code META-INF/resources} and the
 * test's {@code demo/} pages as static content, and BASIC authentication with a
 * {@code <security-constraint>} requiring role {@code user} on {@code /api/libchan/*}, {@code /mount/*} and
 * {@code /demo/*} ({@link TestIdentities}). {@link #startWithMount} also turns on libchan-undertow's servlet
 * mount at {@code /app/mount} (h2c, ws, POST), handed to libchan-cdi as the server {@value #MOUNT_SERVER}
 * ({@code ChannelServers.serve(name, listener)}), as a WAR on WildFly does.
 */
final class FallbackServer implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** The name the servlet mount is served under ({@code libchan.server.web.*}). */
    static final String MOUNT_SERVER = "web";

    private final WeldContainer weld;
    private final Config config;
    private final XnioWorker worker;
    private final DeploymentManager deployment;
    private final Undertow server;
    private final int port;

    private FallbackServer(WeldContainer weld, Config config, XnioWorker worker, DeploymentManager deployment, Undertow server) {
        this.weld = weld;
        this.config = config;
        this.worker = worker;
        this.deployment = deployment;
        this.server = server;
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts the application with {@code properties} as its configuration and {@code beans} as its own beans. */
    static FallbackServer start(Map<String, String> properties, Class<?>... beans) throws Exception {
        return start(false, properties, beans);
    }

    /** As {@link #start}, with libchan-undertow's servlet mount at {@code /app/mount} served by the application's endpoints. */
    static FallbackServer startWithMount(Map<String, String> properties, Class<?>... beans) throws Exception {
        return start(true, properties, beans);
    }

    private static FallbackServer start(boolean mount, Map<String, String> properties, Class<?>... beans) throws Exception {
        ClassLoader loader = new ClassLoader(FallbackServer.class.getClassLoader()) {
        };
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", ConfigSource.DEFAULT_ORDINAL)).build();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        WeldContainer weld = null;
        XnioWorker worker = null;
        try {
            weld = new Weld("libchan-rest-test-" + IDS.incrementAndGet()).skipShutdownHook().disableDiscovery()
                    .addExtension(new LibchanExtension())
                    .beanClasses(RestFallback.class, RestCalls.class, LibchanResource.class)
                    .addBeanClasses(beans)
                    .initialize();
            worker = Xnio.getInstance().createWorker(OptionMap.create(Options.THREAD_DAEMON, true));
            DeploymentInfo war = war(loader, worker);
            if (mount) {
                war.addInitParameter(LibchanServletExtension.PATH, "/mount"); // beside libchan.js at /libchan/
            }
            DeploymentManager deployment = Servlets.defaultContainer().addDeployment(war);
            deployment.deploy();
            Undertow server = Undertow.builder()
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, mount)
                    .addHttpListener(0, "127.0.0.1")
                    .setHandler(Handlers.path().addPrefixPath("/app", deployment.start()))
                    .build();
            server.start();
            if (mount) {
                weld.select(ChannelServers.class).get().serve(MOUNT_SERVER, (LibchanEndpoint) deployment.getDeployment()
                        .getServletContext().getAttribute(LibchanServletExtension.ATTRIBUTE));
            }
            return new FallbackServer(weld, config, worker, deployment, server);
        } catch (Exception | Error e) {
            if (weld != null) {
                weld.shutdown();
            }
            if (worker != null) {
                worker.shutdownNow();
            }
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static DeploymentInfo war(ClassLoader loader, XnioWorker worker) {
        return Servlets.deployment()
                .setClassLoader(loader)
                .setContextPath("/app")
                .setDeploymentName("app.war")
                .addServlet(Servlets.servlet("resteasy", HttpServlet30Dispatcher.class)
                        .addInitParam("jakarta.ws.rs.Application", TestApplication.class.getName())
                        .addInitParam("resteasy.servlet.mapping.prefix", "/api")
                        .setAsyncSupported(true)
                        .setLoadOnStartup(1)
                        .addMapping("/api/*"))
                .addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME,
                        new WebSocketDeploymentInfo().setWorker(worker).setDispatchToWorkerThread(true)
                                .setBuffers(new DefaultByteBufferPool(false, 8192)))
                .addServletContainerInitializer(new ServletContainerInitializerInfo(LibchanWebSocketInstaller.class,
                        new ImmediateInstanceFactory<>(new LibchanWebSocketInstaller()), Set.of(TestApplication.class)))
                .setResourceManager(new ClassPathResourceManager(loader, "META-INF/resources"))
                .setIdentityManager(new TestIdentities())
                .setLoginConfig(new LoginConfig("BASIC", "libchan"))
                .addSecurityRole("user")
                .addSecurityConstraint(new SecurityConstraint()
                        .addRoleAllowed("user")
                        .addWebResourceCollection(new WebResourceCollection().addUrlPattern("/api/libchan/*"))
                        .addWebResourceCollection(new WebResourceCollection().addUrlPattern("/mount/*"))
                        .addWebResourceCollection(new WebResourceCollection().addUrlPattern("/demo/*")));
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:port/app} + {@code path}. */
    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + "/app" + path);
    }

    /** A libchan URI of the application's WebSocket, as {@code user} (null: none). */
    URI webSocket(String user, String query) {
        String who = user == null ? "" : user + ":" + TestIdentities.PASSWORD + "@";
        return URI.create("ws://" + who + "127.0.0.1:" + port + "/app/api/libchan/ws" + (query == null ? "" : "?" + query));
    }

    /** A libchan URI of the servlet mount ({@link #startWithMount}): {@code scheme://user:secret@127.0.0.1:port/app/mount}. */
    URI mount(String scheme, String user, String query) {
        String who = user == null ? "" : user + ":" + TestIdentities.PASSWORD + "@";
        return URI.create(scheme + "://" + who + "127.0.0.1:" + port + "/app/mount" + (query == null ? "" : "?" + query));
    }

    /** {@code http://127.0.0.1:port}: the application's own origin. */
    String origin() {
        return "http://127.0.0.1:" + port;
    }

    <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    @Override
    public void close() throws Exception {
        // as a server undeploys an application: the web application first (its WebSocket container
        // closes the sessions with 1001 while the connections still work), then CDI, then the listener
        deployment.stop();
        deployment.undeploy();
        weld.shutdown();
        server.stop();
        worker.shutdownNow();
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
