package io.libchan.example;

import io.libchan.cdi.ChannelServers;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
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
 * loopback port (port 0 in its configuration; {@link ChannelServers#uri} tells which one it got) whose
 * default endpoint is {@code echo}.
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
        Map<String, String> properties = new HashMap<>();
        properties.put("libchan.server.raw.listen", "tcp://127.0.0.1:0?drainTimeout=2s");
        properties.put("libchan.server.raw.default-endpoint", "echo");
        // loopback, for the tests' own clients only: anonymous, every endpoint of the example
        properties.put("libchan.server.raw.anonymous", "true");
        properties.put("libchan.server.raw.endpoints", "echo,hello,workers,jobs,board");
        properties.putAll(extra);
        ClassLoader loader = new ClassLoader(ExampleServer.class.getClassLoader()) {
        };
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "example-test", ConfigSource.DEFAULT_ORDINAL)).build();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            WeldContainer weld = new Weld("libchan-example-" + IDS.incrementAndGet()).skipShutdownHook().initialize();
            String uri = weld.select(ChannelServers.class).get().uri("raw").toString().replaceFirst("\\?.*", "");
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
}
