package io.libchan.rest.internal;

import io.libchan.Settings;
import io.libchan.internal.fallback.AllowedOrigins;
import io.libchan.rest.LibchanRest;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The {@code libchan.rest.*} keys ({@link LibchanRest}), read and checked at once: a bad value is an
 * {@link IllegalArgumentException} naming its key. Immutable.
 *
 * @param endpoints the allow-list, empty for "every endpoint"
 * @param webSocketPath the configured WebSocket path, empty for the default below the application path
 * @param allowedOrigins the web origins whose pages may call besides the application's own
 * @param webSocketMaxSessions the most WebSocket sessions open at once
 */
record RestConfig(boolean enabled, Optional<Set<String>> endpoints, Optional<String> defaultEndpoint,
                  Duration callTimeout, boolean webSocketEnabled, Optional<String> webSocketPath,
                  AllowedOrigins allowedOrigins, Settings settings, int webSocketMaxSessions) {
    private static final Set<String> OWN_KEYS = Set.of(LibchanRest.ENABLED, LibchanRest.ENDPOINTS,
            LibchanRest.DEFAULT_ENDPOINT, LibchanRest.CALL_TIMEOUT, LibchanRest.WEBSOCKET_ENABLED, LibchanRest.WEBSOCKET_PATH,
            LibchanRest.ALLOWED_ORIGINS);

    static RestConfig read(Config config) {
        return new RestConfig(
                bool(config, LibchanRest.ENABLED, true),
                string(config, LibchanRest.ENDPOINTS).filter(v -> !v.equals("*")).map(RestConfig::names),
                string(config, LibchanRest.DEFAULT_ENDPOINT),
                string(config, LibchanRest.CALL_TIMEOUT).map(v -> duration(LibchanRest.CALL_TIMEOUT, v)).orElse(Duration.ofSeconds(30)),
                bool(config, LibchanRest.WEBSOCKET_ENABLED, true),
                string(config, LibchanRest.WEBSOCKET_PATH).map(RestPaths::normalize),
                origins(config),
                settings(config),
                positive(config, LibchanRest.WEBSOCKET_MAX_SESSIONS, 10_000));
    }

    private static int positive(Config config, String key, int fallback) {
        Optional<String> v = string(config, key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + ": '" + v.get() + "' is not a positive number");
    }

    private static Optional<String> string(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static boolean bool(Config config, String key, boolean fallback) {
        Optional<String> v = string(config, key);
        if (v.isEmpty()) {
            return fallback;
        }
        switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(key + ": '" + v.get() + "' is neither true nor false");
        }
    }

    private static Set<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static AllowedOrigins origins(Config config) {
        String value = string(config, LibchanRest.ALLOWED_ORIGINS).orElse("");
        try {
            return AllowedOrigins.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(LibchanRest.ALLOWED_ORIGINS + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(String key, String value) {
        try {
            Duration d = Settings.Builder.parseDuration(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a positive duration such as 30s or PT30S");
        }
    }

    /** Every other {@code libchan.rest.*} key is a session setting ({@code libchan.rest.max-message-bytes}…). */
    private static Settings settings(Config config) {
        Settings.Builder b = Settings.defaults().toBuilder();
        TreeMap<String, String> keys = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(LibchanRest.PREFIX) && !OWN_KEYS.contains(name) && !name.startsWith(LibchanRest.PREFIX + "websocket.")) {
                string(config, name).ifPresent(v -> keys.put(name, v));
            }
        }
        keys.forEach((name, value) -> {
            try {
                b.set(name.substring(LibchanRest.PREFIX.length()), value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        });
        return b.build();
    }
}
