package io.libchan;

import io.libchan.spi.TransportProvider;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The entry point: opens client sessions and servers by URI. Built-in schemes are
 * {@code inmem:name} (in this JVM), {@code tcp://}, {@code tls://} and {@code unix://}; other modules
 * add theirs (WebSocket, HTTP/2) through {@link TransportProvider}. Query parameters on the URI
 * override {@link Settings}, e.g. {@code tcp://host:9323?dialect=v0.1.0}. Thread-safe.
 */
public final class Libchan {
    private Libchan() {
    }

    /** Opens a client session with default settings. */
    public static Transport connect(String uri) {
        return connect(URI.create(uri), Settings.defaults());
    }

    /**
     * Opens a client session.
     *
     * @throws ConnectionLostException when the peer cannot be reached
     * @throws IllegalArgumentException for an unknown scheme or a bad parameter
     */
    public static Transport connect(URI uri, Settings settings) {
        return provider(uri).connect(uri, settings.withUriParameters(uri));
    }

    /** Starts a server with default settings. */
    public static Listener listen(String uri) {
        return listen(URI.create(uri), Settings.defaults());
    }

    /** Starts a server; a port of 0 picks a free one ({@link Listener#uri()} shows it). */
    public static Listener listen(URI uri, Settings settings) {
        return provider(uri).listen(uri, settings.withUriParameters(uri));
    }

    /**
     * Stops the library's own threads (those used when {@link Settings} gave none), waiting up to
     * {@code timeout} for running work. Only needed when the library's classes must be unloaded
     * (a WAR that bundles libchan and did not pass its managed threads); sessions still open lose
     * their timers. Threads are created again if the library is used afterwards.
     */
    public static void shutdownDefaultThreads(java.time.Duration timeout) {
        io.libchan.internal.session.SessionThreads.shutdownDefaults(timeout.toMillis());
    }

    /** The URI schemes the transports on the class path serve, e.g. {@code inmem}, {@code tcp}, {@code tls}. */
    public static java.util.Set<String> schemes() {
        return java.util.Collections.unmodifiableSet(Providers.BY_SCHEME.keySet());
    }

    private static TransportProvider provider(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("libchan URI without a scheme: " + uri);
        }
        TransportProvider p = Providers.BY_SCHEME.get(scheme.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("no libchan transport for '" + scheme + ":' (known: "
                    + String.join(", ", Providers.BY_SCHEME.keySet()) + ")");
        }
        return p;
    }

    private static final class Providers {
        static final Map<String, TransportProvider> BY_SCHEME = load();

        private static Map<String, TransportProvider> load() {
            Map<String, TransportProvider> map = new TreeMap<>();
            ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), Libchan.class.getClassLoader()};
            for (ClassLoader loader : loaders) {
                for (TransportProvider p : ServiceLoader.load(TransportProvider.class, loader)) {
                    for (String s : p.schemes()) {
                        map.putIfAbsent(s, p);
                    }
                }
            }
            return map;
        }
    }
}
