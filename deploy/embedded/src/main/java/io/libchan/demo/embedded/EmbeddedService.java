package io.libchan.demo.embedded;

import io.libchan.cdi.ChannelServers;
import io.libchan.undertow.LibchanServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.undertow.Handlers;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The example application in Java SE, as a Jakarta EE server would run it but on embedded parts:
 * Weld SE for CDI, SmallRye Config for MicroProfile Config, and one embedded Undertow port
 * (libchan-undertow's {@link LibchanServer}) that serves the web page, {@code /metrics} and
 * {@code /health} ({@link DemoTelemetry}, {@link HealthHandler}) and libchan over HTTP/2 with
 * prior knowledge ({@code h2c://}), WebSocket ({@code ws://}) and the HTTP/1.1 fallback. libchan-cdi
 * opens the raw SPDY/3 server ({@code tcp://}) from the configuration; the web port's libchan endpoint
 * is handed to libchan-cdi as the server {@code web} ({@link ChannelServers#serve(String, io.libchan.Listener)}),
 * so its sessions reach the same endpoints, routed and drained the same way.
 *
 * <p>{@link #close()} stops it in order: the web port takes no new session, the application drains
 * and closes every session (libchan-cdi), then the web port closes. Not thread-safe.
 */
public final class EmbeddedService implements AutoCloseable {
    /** The configuration key of the raw server. */
    static final String RAW_LISTEN = "libchan.server.raw.listen";

    private final SmallRyeConfig config;
    private final WeldContainer weld;
    private final LibchanServer web;
    private final URI raw;
    private boolean closed;

    private EmbeddedService(SmallRyeConfig config, WeldContainer weld, LibchanServer web, URI raw) {
        this.config = config;
        this.weld = weld;
        this.web = web;
        this.raw = raw;
    }

    /**
     * Starts the service: the web port on 127.0.0.1:{@code webPort} (0: a free one), the raw server on
     * {@code rawPort} (0: as the configuration says, where port 0 means a free one).
     */
    public static EmbeddedService start(int webPort, int rawPort) {
        ClassLoader loader = EmbeddedService.class.getClassLoader();
        SmallRyeConfig config = config(loader, rawPort);
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // libchan-cdi reads the config of the context class loader
        WeldContainer weld = null;
        LibchanServer web = null;
        DemoTelemetry telemetry = DemoTelemetry.get(); // the global OpenTelemetry, before anything registers instruments
        try {
            weld = new Weld("libchan-demo").skipShutdownHook().initialize();
            web = LibchanServer.builder().host("127.0.0.1").port(webPort)
                    .fallback(Handlers.path(Handlers.resource(new ClassPathResourceManager(loader, "META-INF/resources"))
                                    .addWelcomeFiles("index.html"))
                            .addExactPath("/metrics", new MetricsHandler(telemetry))
                            .addPrefixPath("/health", new HealthHandler(weld)))
                    .start();
            ChannelServers servers = weld.select(ChannelServers.class).get();
            servers.serve("web", web.endpoint()); // libchan.server.web.*: routing and drain as any server's
            URI raw = URI.create(servers.uri("raw").toString().replaceFirst("\\?.*", "")); // the port it got
            return new EmbeddedService(config, weld, web, raw);
        } catch (RuntimeException e) {
            if (web != null) {
                web.close();
            }
            if (weld != null) {
                weld.shutdown();
            }
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The usual sources (system properties, environment, {@code microprofile-config.properties}), plus,
     * when {@code rawPort} is not 0, one of the launcher's below system properties and the environment:
     * the raw server's configured URI on that port.
     */
    private static SmallRyeConfig config(ClassLoader loader, int rawPort) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().forClassLoader(loader).addDefaultSources().addDiscoveredSources();
        if (rawPort != 0) {
            URI uri = URI.create(builder.build().getOptionalValue(RAW_LISTEN, String.class).orElse("tcp://127.0.0.1:0"));
            String listen = uri.getScheme() + "://" + uri.getHost() + ":" + rawPort + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            builder.withSources(new PropertiesConfigSource(Map.of(RAW_LISTEN, listen), "libchan-demo launcher", 250));
        }
        return builder.build();
    }

    /** The web page. */
    public URI page() {
        return URI.create("http://127.0.0.1:" + web.port() + "/");
    }

    /** {@code /metrics} (Prometheus text) or {@code /health} (MicroProfile Health JSON) on the web port. */
    public URI observability(String path) {
        return URI.create("http://127.0.0.1:" + web.port() + "/" + path);
    }

    /** The web port's libchan endpoint stops taking sessions (what {@link #close()} does first). */
    void stopWebSessions() {
        web.endpoint().close();
    }

    /** libchan over HTTP on the web port, in the given scheme: {@code h2c}, {@code ws} or {@code http} (the fallback's base). */
    public URI http(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + web.port() + "/libchan");
    }

    /** The raw SPDY/3 server, {@code tcp://127.0.0.1:PORT}. */
    public URI raw() {
        return raw;
    }

    /** A bean of the application. */
    public <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    /** Stops everything; returns once every session has ended (or its drain timeout passed). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        web.endpoint().close();
        if (weld.isRunning()) {
            weld.shutdown(); // libchan-cdi drains and closes the sessions of both servers
        }
        web.close();
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
