package io.libchan.demo.embedded;

import io.libchan.example.ExampleThreads;
import io.libchan.example.bridge.SessionBridge;
import io.libchan.undertow.LibchanServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.undertow.Handlers;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The example application in Java SE, as a Jakarta EE server would run it but on embedded parts:
 * Weld SE for CDI, SmallRye Config for MicroProfile Config, and one embedded Undertow port
 * (libchan-undertow's {@link LibchanServer}) that serves the web page and libchan over HTTP/2 with
 * prior knowledge ({@code h2c://}), WebSocket ({@code ws://}) and the HTTP/1.1 fallback. libchan-cdi
 * opens the raw SPDY/3 server ({@code tcp://}) from the configuration; the HTTP sessions reach the
 * same endpoints through a {@link SessionBridge} into the configured {@code inmem:web} server.
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
    private final SessionBridge bridge;
    private final URI raw;
    private boolean closed;

    private EmbeddedService(SmallRyeConfig config, WeldContainer weld, LibchanServer web, SessionBridge bridge, URI raw) {
        this.config = config;
        this.weld = weld;
        this.web = web;
        this.bridge = bridge;
        this.raw = raw;
    }

    /**
     * Starts the service: the web port on 127.0.0.1:{@code webPort} (0: a free one), the raw server on
     * {@code rawPort} (0: a free one, unless the configuration names a port).
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
        try {
            weld = new Weld("libchan-demo").skipShutdownHook().initialize();
            web = LibchanServer.builder().host("127.0.0.1").port(webPort)
                    .fallback(Handlers.resource(new ClassPathResourceManager(loader, "META-INF/resources"))
                            .addWelcomeFiles("index.html"))
                    .start();
            ExampleThreads threads = weld.select(ExampleThreads.class).get();
            SessionBridge bridge = SessionBridge.start(web, URI.create("inmem://web"), threads.threadFactory(), threads.executor());
            URI raw = URI.create(config.getValue(RAW_LISTEN, String.class).replaceFirst("\\?.*", ""));
            return new EmbeddedService(config, weld, web, bridge, raw);
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
     * The usual sources (system properties, environment, {@code microprofile-config.properties}) plus
     * one of the launcher's, below system properties and the environment, above the file: the raw
     * server's port when the file leaves it at 0. libchan-cdi cannot report the port a server bound,
     * so the launcher picks a free one itself.
     */
    private static SmallRyeConfig config(ClassLoader loader, int rawPort) {
        SmallRyeConfig defaults = new SmallRyeConfigBuilder().forClassLoader(loader).addDefaultSources()
                .addDiscoveredSources().build();
        String configured = defaults.getOptionalValue(RAW_LISTEN, String.class).orElse("tcp://127.0.0.1:0");
        URI uri = URI.create(configured);
        int port = rawPort != 0 ? rawPort : uri.getPort() > 0 ? uri.getPort() : freePort();
        String listen = uri.getScheme() + "://" + uri.getHost() + ":" + port + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new SmallRyeConfigBuilder().forClassLoader(loader).addDefaultSources().addDiscoveredSources()
                .withSources(new PropertiesConfigSource(Map.of(RAW_LISTEN, listen), "libchan-demo launcher", 250))
                .build();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the raw libchan server", e);
        }
    }

    /** The web page. */
    public URI page() {
        return URI.create("http://127.0.0.1:" + web.port() + "/");
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
            weld.shutdown();
        }
        bridge.close();
        web.close();
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
