package io.libchan.cdi.internal;

import java.util.Set;

/** The MicroProfile Config keys this module reads; the README lists them with their defaults. */
final class ConfigKeys {
    static final String CHANNEL_PREFIX = "libchan.channel.";
    static final String SERVER_PREFIX = "libchan.server.";
    static final String ENDPOINT_PREFIX = "libchan.endpoint.";
    static final String GATEWAY_PREFIX = "libchan.gateway.";

    static final String URI = "uri";
    static final String CONNECT = "connect";
    static final String REMOTE_NAME = "remote-name";
    static final String BUFFER = "buffer";
    static final String RECONNECT_DELAY = "reconnect-delay";
    static final String RECONNECT_MAX_DELAY = "reconnect-max-delay";
    /** Channel keys of this module; every other key under a channel is a {@link io.libchan.Settings} key. */
    static final Set<String> CHANNEL_KEYS = Set.of(URI, CONNECT, REMOTE_NAME, BUFFER, RECONNECT_DELAY, RECONNECT_MAX_DELAY);

    static final String LISTEN = "listen";
    static final String DEFAULT_ENDPOINT = "default-endpoint";
    /** {@code true}: the listener serves peers it does not authenticate (only its {@link #ENDPOINTS}). */
    static final String ANONYMOUS = "anonymous";
    /** The endpoints a server's sessions may reach, comma-separated; all when absent (not anonymous). */
    static final String ENDPOINTS = "endpoints";
    /** The gateway targets a server's sessions may use, comma-separated; all when absent (not anonymous). */
    static final String TARGETS = "targets";
    /** Server keys of this module; every other key under a server is a {@link io.libchan.Settings} key. */
    static final Set<String> SERVER_KEYS = Set.of(LISTEN, DEFAULT_ENDPOINT, ANONYMOUS, ENDPOINTS, TARGETS);

    static final String MAX_CONCURRENCY = "max-concurrency";

    /** A gateway target's URI: {@code libchan.gateway.<name>.target}. */
    static final String TARGET = "target";
    /** A gateway target's roles: {@code libchan.gateway.<name>.roles}. */
    static final String ROLES = "roles";
    static final Set<String> TARGET_KEYS = Set.of(TARGET, ROLES);
    /** The gateway's own keys, directly under {@link #GATEWAY_PREFIX}. */
    static final String CONNECT_TIMEOUT = "connect-timeout";
    static final String MAX_TUNNELS = "max-tunnels";
    static final Set<String> GATEWAY_KEYS = Set.of(CONNECT_TIMEOUT, MAX_TUNNELS);

    /** Java SE: the threads of this module's own pool for endpoint calls and message delivery, or {@code virtual}. */
    static final String THREADS = "libchan.threads";

    private ConfigKeys() {
    }

    static String channel(String name, String key) {
        return CHANNEL_PREFIX + name + "." + key;
    }

    static String server(String name, String key) {
        return SERVER_PREFIX + name + "." + key;
    }

    static String endpoint(String name, String key) {
        return ENDPOINT_PREFIX + name + "." + key;
    }

    static String gateway(String name, String key) {
        return GATEWAY_PREFIX + name + "." + key;
    }
}
