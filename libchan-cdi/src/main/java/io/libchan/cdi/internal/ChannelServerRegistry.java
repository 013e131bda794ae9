package io.libchan.cdi.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The application's {@link ChannelServer}s by name: those of the configuration, and those a
 * listener was handed over for under a name the configuration does not have (created on first use,
 * with the defaults). Thread-safe: guarded by {@code servers}.
 */
final class ChannelServerRegistry {
    private final Map<String, ChannelServer> servers = new TreeMap<>();
    private final Function<ServerConfig, ChannelServer> create;
    private boolean started;

    ChannelServerRegistry(Collection<ServerConfig> configured, Function<ServerConfig, ChannelServer> create) {
        this.create = create;
        configured.forEach(c -> servers.put(c.name(), create.apply(c)));
    }

    Optional<ChannelServer> named(String name) {
        synchronized (servers) {
            return Optional.ofNullable(servers.get(name));
        }
    }

    /** The server of that name, created with the defaults (and started, if the others are) when the configuration has none. */
    ChannelServer namedOrNew(String name) {
        synchronized (servers) {
            return servers.computeIfAbsent(name, n -> {
                ChannelServer created = create.apply(ServerConfig.unconfigured(n));
                if (started) {
                    created.start();
                }
                return created;
            });
        }
    }

    /**
     * Starts every server (those created later start at once).
     *
     * @return the names of the servers that wait for the application to hand over a listener
     */
    java.util.Set<String> start() {
        java.util.Set<String> waiting = new java.util.TreeSet<>();
        synchronized (servers) {
            started = true;
            servers.values().forEach(s -> {
                if (s.start()) {
                    waiting.add(s.name());
                }
            });
        }
        return waiting;
    }

    /** Every server now, in name order. */
    List<ChannelServer> all() {
        synchronized (servers) {
            return new ArrayList<>(servers.values());
        }
    }

    java.util.Set<String> names() {
        synchronized (servers) {
            return new java.util.TreeSet<>(servers.keySet());
        }
    }
}
