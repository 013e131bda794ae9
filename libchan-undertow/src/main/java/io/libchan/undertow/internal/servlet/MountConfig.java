package io.libchan.undertow.internal.servlet;

import io.libchan.internal.fallback.AllowedOrigins;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of the servlet mount, from the deployment's MicroProfile Config (when it has
 * one), each overridden by a context parameter: its path ({@value #PATH_KEY}, or the context
 * parameter {@value #PATH_PARAM}); the allowed origins ({@value #ALLOWED_ORIGINS_KEY}, or the
 * context parameter {@value #ALLOWED_ORIGINS_PARAM}); and the message limit
 * ({@value #MAX_MESSAGE_BYTES_KEY}, else the fallback's {@value #REST_MAX_MESSAGE_BYTES_KEY}, so one
 * key limits both doors of an application; the context parameter {@value #MAX_MESSAGE_BYTES_PARAM}
 * wins). Stateless.
 */
public final class MountConfig {
    public static final String PATH_KEY = "libchan.mount.path";
    public static final String PATH_PARAM = "io.libchan.undertow.path";
    public static final String ALLOWED_ORIGINS_KEY = "libchan.mount.allowed-origins";
    public static final String ALLOWED_ORIGINS_PARAM = "io.libchan.undertow.allowed-origins";
    public static final String MAX_MESSAGE_BYTES_KEY = "libchan.mount.max-message-bytes";
    /** libchan-rest-fallback's key ({@code LibchanRest}), which the mount follows unless told otherwise. */
    public static final String REST_MAX_MESSAGE_BYTES_KEY = "libchan.rest.max-message-bytes";
    public static final String MAX_MESSAGE_BYTES_PARAM = "io.libchan.maxMessageBytes";
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

    /**
     * The mount's {@code maxMessageBytes} from the deployment's MicroProfile Config, empty when the
     * context parameter {@value #MAX_MESSAGE_BYTES_PARAM} sets it (it wins) or no key does.
     *
     * @throws IllegalArgumentException naming the key when the value is not a positive number of bytes
     */
    public static java.util.OptionalInt maxMessageBytes(Map<String, String> params, ClassLoader deployment) {
        if (params.containsKey(MAX_MESSAGE_BYTES_PARAM)) {
            return java.util.OptionalInt.empty();
        }
        for (String key : new String[] {MAX_MESSAGE_BYTES_KEY, REST_MAX_MESSAGE_BYTES_KEY}) {
            Optional<String> value = fromConfig(deployment, key);
            if (value.isPresent()) {
                try {
                    int bytes = Integer.parseInt(value.get().trim());
                    if (bytes <= 0) {
                        throw new NumberFormatException();
                    }
                    return java.util.OptionalInt.of(bytes);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + value.get() + "' is not a positive number of bytes", e);
                }
            }
        }
        return java.util.OptionalInt.empty();
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
            return MicroProfile.value(loader, key).map(String::trim).filter(v -> !v.isEmpty());
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
