package io.libchan.cdi.internal;

import io.libchan.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Reads {@code libchan.channel.*}, {@code libchan.server.*}, {@code libchan.endpoint.*}, {@code libchan.gateway.*}
 * and {@code libchan.threads} from
 * MicroProfile Config, recording every missing or bad value in {@link DeploymentProblems} under its
 * key instead of stopping at the first. Keys are found through {@link Config#getPropertyNames()};
 * a channel's {@code uri} is also looked up directly, so it may come from any source. Not
 * thread-safe: used by the single validation pass.
 */
final class ConfigReader {
    private final Config config;
    private final DeploymentProblems problems;
    private final Set<String> schemes;
    private final Map<String, Set<String>> channelKeys = new TreeMap<>();
    private final Map<String, Set<String>> serverKeys = new TreeMap<>();
    private final Map<String, Set<String>> endpointKeys = new TreeMap<>();
    private final Map<String, Set<String>> targetKeys = new TreeMap<>();

    ConfigReader(Config config, DeploymentProblems problems, Set<String> schemes) {
        this.config = config;
        this.problems = problems;
        this.schemes = schemes;
        for (String key : config.getPropertyNames()) {
            index(key, ConfigKeys.CHANNEL_PREFIX, channelKeys);
            index(key, ConfigKeys.SERVER_PREFIX, serverKeys);
            index(key, ConfigKeys.ENDPOINT_PREFIX, endpointKeys);
            indexGateway(key);
        }
    }

    /** {@code libchan.gateway.KEY} (the gateway's own) or {@code libchan.gateway.NAME.KEY} (a target's). */
    private void indexGateway(String key) {
        if (!key.startsWith(ConfigKeys.GATEWAY_PREFIX)) {
            return;
        }
        String rest = key.substring(ConfigKeys.GATEWAY_PREFIX.length());
        if (rest.indexOf('.') < 0) {
            if (!ConfigKeys.GATEWAY_KEYS.contains(rest)) {
                problems.add(key, UserMessages.unknownGatewayKey());
            }
            return;
        }
        index(key, ConfigKeys.GATEWAY_PREFIX, targetKeys);
    }

    private void index(String key, String prefix, Map<String, Set<String>> into) {
        if (!key.startsWith(prefix)) {
            return;
        }
        String rest = key.substring(prefix.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
            problems.add(key, UserMessages.malformedKey(prefix));
            return;
        }
        into.computeIfAbsent(rest.substring(0, dot), n -> new TreeSet<>()).add(rest.substring(dot + 1));
    }

    Set<String> configuredChannels() {
        return channelKeys.keySet();
    }

    Set<String> configuredServers() {
        return serverKeys.keySet();
    }

    Set<String> configuredEndpoints() {
        return endpointKeys.keySet();
    }

    /** The channel's settings, or empty after recording why they are unusable. */
    Optional<ChannelConfig> channel(String name, String requiredBy) {
        String uriKey = ConfigKeys.channel(name, ConfigKeys.URI);
        Optional<URI> uri = value(uriKey).flatMap(text -> uri(uriKey, text));
        if (value(uriKey).isEmpty()) {
            problems.add(uriKey, UserMessages.missingUri(requiredBy));
        }
        boolean inApp = uri.map(ChannelConfig::isInApp).orElse(false);
        boolean startup = connectMode(name);
        Optional<String> remoteName = value(ConfigKeys.channel(name, ConfigKeys.REMOTE_NAME));
        int buffer = nonNegativeInt(ConfigKeys.channel(name, ConfigKeys.BUFFER)).orElse(0);
        Duration delay = duration(ConfigKeys.channel(name, ConfigKeys.RECONNECT_DELAY), Duration.ofMillis(100));
        Duration maxDelay = duration(ConfigKeys.channel(name, ConfigKeys.RECONNECT_MAX_DELAY), Duration.ofSeconds(30));
        if (uri.isPresent()) {
            checkPlacement(name, inApp, remoteName.isPresent());
        }
        Settings settings = settings(ConfigKeys.CHANNEL_PREFIX + name + ".",
                channelKeys.getOrDefault(name, Set.of()), ConfigKeys.CHANNEL_KEYS, uri, uriKey);
        return uri.map(u -> new ChannelConfig(name, u, startup, remoteName, buffer, delay, maxDelay, settings));
    }

    private boolean connectMode(String name) {
        String key = ConfigKeys.channel(name, ConfigKeys.CONNECT);
        String mode = value(key).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("lazy");
        if (!mode.equals("lazy") && !mode.equals("startup")) {
            problems.add(key, UserMessages.badConnectMode(mode));
        }
        return mode.equals("startup");
    }

    private void checkPlacement(String name, boolean inApp, boolean hasRemoteName) {
        if (inApp && hasRemoteName) {
            problems.add(ConfigKeys.channel(name, ConfigKeys.REMOTE_NAME), UserMessages.remoteKeyOnInAppChannel());
        }
        if (!inApp && channelKeys.getOrDefault(name, Set.of()).contains(ConfigKeys.BUFFER)) {
            problems.add(ConfigKeys.channel(name, ConfigKeys.BUFFER), UserMessages.bufferOnRemoteChannel());
        }
    }

    /**
     * The server's settings, or empty after recording why they are unusable. A server without
     * {@code listen} is served from a listener the application hands over
     * ({@code ChannelServers.serve(name, listener)}).
     */
    Optional<ServerConfig> server(String name) {
        String listenKey = ConfigKeys.server(name, ConfigKeys.LISTEN);
        Optional<String> listenText = value(listenKey);
        Optional<URI> listen = listenText.flatMap(text -> uri(listenKey, text));
        Optional<String> defaultEndpoint = value(ConfigKeys.server(name, ConfigKeys.DEFAULT_ENDPOINT));
        boolean anonymous = bool(ConfigKeys.server(name, ConfigKeys.ANONYMOUS));
        Optional<Set<String>> endpoints = value(ConfigKeys.server(name, ConfigKeys.ENDPOINTS)).map(ConfigReader::names);
        Optional<Set<String>> targets = value(ConfigKeys.server(name, ConfigKeys.TARGETS)).map(ConfigReader::names);
        Settings settings = settings(ConfigKeys.SERVER_PREFIX + name + ".",
                serverKeys.getOrDefault(name, Set.of()), ConfigKeys.SERVER_KEYS, listen, listenKey);
        if (listenText.isPresent() && listen.isEmpty()) {
            return Optional.empty(); // the problem is recorded
        }
        return Optional.of(new ServerConfig(name, listen, defaultEndpoint, settings, anonymous, endpoints, targets));
    }

    /** {@code libchan.endpoint.<name>.max-concurrency}, if set and valid; other keys there are problems. */
    OptionalInt maxConcurrency(String endpoint) {
        for (String key : endpointKeys.getOrDefault(endpoint, Set.of())) {
            if (!key.equals(ConfigKeys.MAX_CONCURRENCY)) {
                problems.add(ConfigKeys.endpoint(endpoint, key), UserMessages.unknownEndpointSetting());
            }
        }
        return nonNegativeInt(ConfigKeys.endpoint(endpoint, ConfigKeys.MAX_CONCURRENCY));
    }

    /** {@code libchan.gateway.*}: its targets, each with a dialable URI, and its own keys; typos are problems by key. */
    GatewayConfig gateway() {
        Map<String, GatewayConfig.Target> targets = new TreeMap<>();
        targetKeys.forEach((name, keys) -> {
            for (String key : keys) {
                if (!ConfigKeys.TARGET_KEYS.contains(key)) {
                    problems.add(ConfigKeys.gateway(name, key), UserMessages.unknownGatewayKey());
                }
            }
            String targetKey = ConfigKeys.gateway(name, ConfigKeys.TARGET);
            Optional<String> uri = value(targetKey);
            if (uri.isEmpty()) {
                problems.add(targetKey, UserMessages.missingGatewayTarget());
                return;
            }
            Set<String> roles = value(ConfigKeys.gateway(name, ConfigKeys.ROLES)).map(ConfigReader::names).orElse(Set.of());
            try {
                URI checked = URI.create(uri.get().trim());
                io.libchan.gateway.Gateway.builder().target(name, checked); // what the gateway will dial: checked now
                targets.put(name, new GatewayConfig.Target(name, checked, roles));
            } catch (IllegalArgumentException e) {
                problems.add(targetKey, UserMessages.badGatewayTarget(e.getMessage()));
            }
        });
        String timeoutKey = ConfigKeys.GATEWAY_PREFIX + ConfigKeys.CONNECT_TIMEOUT;
        Duration timeout = duration(timeoutKey, GatewayConfig.DEFAULT_CONNECT_TIMEOUT);
        String maxKey = ConfigKeys.GATEWAY_PREFIX + ConfigKeys.MAX_TUNNELS;
        int max = nonNegativeInt(maxKey).orElse(GatewayConfig.DEFAULT_MAX_TUNNELS);
        if (max == 0) {
            problems.add(maxKey, UserMessages.notAPositiveInteger("0"));
            max = GatewayConfig.DEFAULT_MAX_TUNNELS;
        }
        return new GatewayConfig(targets, timeout, max);
    }

    /** {@code libchan.threads}: a positive number, or {@code virtual} on Java 21+; the default when absent or bad. */
    TaskThreads threads() {
        Optional<String> v = value(ConfigKeys.THREADS).map(String::trim);
        if (v.isEmpty()) {
            return TaskThreads.defaults();
        }
        if (v.get().equalsIgnoreCase(TaskThreads.VIRTUAL)) {
            if (Runtime.version().feature() < 21) {
                problems.add(ConfigKeys.THREADS, UserMessages.virtualThreadsNeedJava21(Runtime.version().feature()));
            }
            return new TaskThreads(0, true);
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n > 0) {
                return new TaskThreads(n, false);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(ConfigKeys.THREADS, UserMessages.badThreads(v.get()));
        return TaskThreads.defaults();
    }

    private Settings settings(String prefix, Set<String> keys, Set<String> ownKeys, Optional<URI> uri, String uriKey) {
        Settings.Builder builder = Settings.builder();
        for (String key : keys) {
            if (ownKeys.contains(key)) {
                continue;
            }
            Optional<String> v = value(prefix + key);
            if (v.isEmpty()) {
                continue;
            }
            try {
                builder.set(key, v.get());
            } catch (IllegalArgumentException e) {
                problems.add(prefix + key, e.getMessage());
            }
        }
        Settings settings = builder.build();
        if (uri.isPresent()) {
            try {
                settings.withUriParameters(uri.get());
            } catch (IllegalArgumentException e) {
                problems.add(uriKey, e.getMessage());
            }
        }
        return settings;
    }

    /** A comma-separated list of names, blanks dropped. */
    private static Set<String> names(String list) {
        Set<String> names = new TreeSet<>();
        for (String n : list.split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        return names;
    }

    /** {@code true} or {@code false} (any case); false when absent; anything else is a problem. */
    private boolean bool(String key) {
        Optional<String> v = value(key).map(t -> t.trim().toLowerCase(Locale.ROOT));
        if (v.isPresent() && !v.get().equals("true") && !v.get().equals("false")) {
            problems.add(key, UserMessages.notABoolean(v.get()));
        }
        return v.equals(Optional.of("true"));
    }

    private Optional<URI> uri(String key, String text) {
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null) {
                problems.add(key, UserMessages.uriWithoutScheme(text));
                return Optional.empty();
            }
            if (!schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                problems.add(key, UserMessages.unknownScheme(uri.getScheme(), schemes));
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(key, UserMessages.badUri(text, e.getMessage()));
            return Optional.empty();
        }
    }

    private OptionalInt nonNegativeInt(String key) {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n >= 0) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key, UserMessages.notANonNegativeInteger(v.get()));
        return OptionalInt.empty();
    }

    private Duration duration(String key, Duration fallback) {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Settings.Builder.parseDuration(v.get());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        problems.add(key, UserMessages.notAPositiveDuration(v.get()));
        return fallback;
    }

    private Optional<String> value(String key) {
        try {
            return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
        } catch (RuntimeException e) {
            problems.add(key, UserMessages.unreadable(e.getMessage()));
            return Optional.empty();
        }
    }
}
