package io.libchan.cdi;

import io.libchan.cdi.internal.LibchanExtension;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A Weld SE container with its own MicroProfile Config, so several can run in one JVM (a client
 * and a server talking over {@code inmem:}). The config is registered for a class loader of the
 * container's own, set as context class loader while the container boots, which is how the
 * extension finds a deployment's config in an application server too.
 */
final class TestContainer implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final WeldContainer weld;
    private final Config config;

    private TestContainer(WeldContainer weld, Config config) {
        this.weld = weld;
        this.config = config;
    }

    /** Boots a container with {@code properties} as its only config source and {@code beans} as its beans. */
    static TestContainer start(Map<String, String> properties, Class<?>... beans) {
        return start(false, properties, beans);
    }

    /**
     * As {@link #start(Map, Class[])}, but with bean archive discovery on, so the extension is found
     * through its {@code META-INF/services} entry as in a real deployment.
     */
    static TestContainer startDiscovering(Map<String, String> properties, Class<?>... beans) {
        return start(true, properties, beans);
    }

    private static TestContainer start(boolean discovery, Map<String, String> properties, Class<?>... beans) {
        ClassLoader loader = new ClassLoader(TestContainer.class.getClassLoader()) {
        };
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", ConfigSource.DEFAULT_ORDINAL)).build();
        ConfigProviderResolver.instance().registerConfig(config, loader);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Weld builder = new Weld("libchan-test-" + IDS.incrementAndGet()).skipShutdownHook().beanClasses(beans);
            if (!discovery) {
                builder.disableDiscovery().addExtension(new LibchanExtension());
            }
            WeldContainer weld = builder.initialize();
            return new TestContainer(weld, config);
        } catch (RuntimeException e) {
            ConfigProviderResolver.instance().releaseConfig(config);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    <T> T select(Class<T> type, Annotation... qualifiers) {
        return weld.select(type, qualifiers).get();
    }

    @Override
    public void close() {
        if (weld.isRunning()) {
            weld.shutdown();
        }
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
