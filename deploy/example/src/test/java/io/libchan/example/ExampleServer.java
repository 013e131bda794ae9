package io.libchan.example;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The example application in Weld SE, as the embedded demo runs it: bean discovery on (the
 * example's and libchan-cdi's {@code beans.xml}), its own MicroProfile Config registered for a class
 * loader of its own (so several can run in one JVM), and a raw {@code tcp://} server on a free
 * loopback port whose default endpoint is {@code echo}.
 */
public final class ExampleServer implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final WeldContainer weld;
    private final Config config;
    private final String uri;

    private ExampleServer(WeldContainer weld, Config config, String uri) {
        this.weld = weld;
        this.config = config;
        this.uri = uri;
    }

    /** Boots the example with a raw server on a free port, plus {@code extra} configuration. */
    public static ExampleServer start(Map<String, String> extra) {
        String uri = "tcp://127.0.0.1:" + freePort();
        Map<String, String> properties = new HashMap<>();
        properties.put("libchan.server.raw.listen", uri + "?drainTimeout=2s");
        properties.put("libchan.server.raw.default-endpoint", "echo");
        properties.putAll(extra);
        ClassLoader loader = new ClassLoader(ExampleServer.class.getClassLoader()) {
        };
        Config config = new SmallRyeConfigBuilder().withSources(new MapSource(properties)).build();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            WeldContainer weld = new Weld("libchan-example-" + IDS.incrementAndGet()).skipShutdownHook().initialize();
            return new ExampleServer(weld, config, uri);
        } catch (RuntimeException e) {
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static ExampleServer start() {
        return start(Map.of());
    }

    /** The raw server's address, {@code tcp://127.0.0.1:PORT}. */
    public String uri() {
        return uri;
    }

    public <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    /** Stops the application: libchan-cdi drains and closes its sessions. */
    @Override
    public void close() {
        if (weld.isRunning()) {
            weld.shutdown();
        }
        ConfigProviderResolver.instance().releaseConfig(config);
    }

    /** A port free on the loopback interface right now (the server binds it a moment later). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    private static final class MapSource implements ConfigSource {
        private final Map<String, String> properties;

        MapSource(Map<String, String> properties) {
            this.properties = Map.copyOf(properties);
        }

        @Override
        public Set<String> getPropertyNames() {
            return properties.keySet();
        }

        @Override
        public String getValue(String name) {
            return properties.get(name);
        }

        @Override
        public String getName() {
            return "example-test";
        }
    }
}
