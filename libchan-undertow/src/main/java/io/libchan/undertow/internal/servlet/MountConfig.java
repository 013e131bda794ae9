package io.libchan.undertow.internal.servlet;

import io.libchan.internal.fallback.AllowedOrigins;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of the servlet mount that is not a session setting: its path, from the context
 * parameter {@value #PATH_PARAM} or else the deployment's MicroProfile Config (when it has one) key
 * {@value #PATH_KEY}; the allowed origins, from the context parameter {@value #ALLOWED_ORIGINS_PARAM}
 * or else the key {@value #ALLOWED_ORIGINS_KEY}. Stateless.
 */
public final class MountConfig {
    public static final String PATH_KEY = "libchan.mount.path";
    public static final String PATH_PARAM = "io.libchan.undertow.path";
    public static final String ALLOWED_ORIGINS_KEY = "libchan.mount.allowed-origins";
    public static final String ALLOWED_ORIGINS_PARAM = "io.libchan.undertow.allowed-origins";
    private static final String CONFIG_PROVIDER = "org.eclipse.microprofile.config.ConfigProvider";

    private MountConfig() {
    }

    /** The mount path as configured (not blank, trimmed), or empty when the mount is off. */
    public static Optional<String> path(Map<String, String> params, ClassLoader deployment) {
        String param = params.get(PATH_PARAM);
        Optional<String> path = param != null ? Optional.of(param) : fromConfig(deployment, PATH_KEY);
        return path.map(String::trim).filter(p -> !p.isEmpty());
    }

    /**
     * The allowed origins as configured, empty for "the deployment's own only".
     *
     * @throws IllegalArgumentException naming the key when the value is not a list of origins
     */
    public static String allowedOrigins(Map<String, String> params, ClassLoader deployment) {
        String param = params.get(ALLOWED_ORIGINS_PARAM);
        if (param != null) {
            return checked(ALLOWED_ORIGINS_PARAM, param);
        }
        return fromConfig(deployment, ALLOWED_ORIGINS_KEY).map(v -> checked(ALLOWED_ORIGINS_KEY, v)).orElse("");
    }

    private static String checked(String key, String value) {
        try {
            AllowedOrigins.parse(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> fromConfig(ClassLoader deployment, String key) {
        ClassLoader loader = deployment != null ? deployment : MountConfig.class.getClassLoader();
        try {
            Class.forName(CONFIG_PROVIDER, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty(); // no MicroProfile Config in this deployment
        }
        try {
            return MicroProfile.value(loader, key);
        } catch (IllegalStateException e) {
            return Optional.empty(); // the API without an implementation
        }
    }

    /** Apart, so that the API is only loaded when it is there. */
    private static final class MicroProfile {
        static Optional<String> value(ClassLoader loader, String key) {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig(loader).getOptionalValue(key, String.class);
        }
    }
}
