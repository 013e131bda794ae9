package io.libchan.cdi.internal;

import io.libchan.gateway.Gateway;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validated {@code libchan.gateway.*} keys: the targets the deployment's servers tunnel to.
 * Immutable.
 *
 * @param targets by name
 * @param connectTimeout how long dialing a target may take ({@code libchan.gateway.connect-timeout})
 * @param maxTunnels how many tunnels may be open at once across the deployment ({@code libchan.gateway.max-tunnels})
 */
record GatewayConfig(Map<String, Target> targets, Duration connectTimeout, int maxTunnels) {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_TUNNELS = 256;

    /**
     * One target.
     *
     * @param uri {@code tcp://HOST:PORT} or {@code unix:///PATH}
     * @param roles a caller needs one of them; empty: any caller a server lets use targets (see {@link GatewayAccess})
     */
    record Target(String name, URI uri, Set<String> roles) {
        Target {
            roles = Set.copyOf(roles);
        }
    }

    GatewayConfig {
        targets = Map.copyOf(new TreeMap<>(targets));
    }

    static GatewayConfig none() {
        return new GatewayConfig(Map.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_TUNNELS);
    }

    /**
     * The gateway serving these targets; empty when there is none. Its threads (requests, dialing,
     * the loops that watch targets' sockets) come from {@code threads}, the container's managed
     * thread factory, else they are the library's own daemon threads; they run until it is closed.
     */
    Optional<Gateway> build(Optional<java.util.concurrent.ThreadFactory> threads) {
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        Gateway.Builder b = Gateway.builder().connectTimeout(connectTimeout).maxTunnels(maxTunnels);
        threads.ifPresent(b::threads);
        targets.values().forEach(t -> {
            b.target(t.name(), t.uri());
            if (!t.roles().isEmpty()) {
                b.roles(t.name(), t.roles());
            }
        });
        return Optional.of(b.build());
    }
}
