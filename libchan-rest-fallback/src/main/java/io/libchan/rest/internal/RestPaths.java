package io.libchan.rest.internal;

import jakarta.ws.rs.ApplicationPath;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Where the module's paths are, below the context root. Stateless. */
final class RestPaths {
    /** The module's resource path below the application path (the JAX-RS {@code @Path} of the resource). */
    static final String RESOURCE = "/libchan";
    /** The WebSocket below {@link #RESOURCE}. */
    static final String WEBSOCKET = RESOURCE + "/ws";

    private RestPaths() {
    }

    /** {@code "api/"} → {@code "/api"}; {@code "/api/*"} → {@code "/api"}; {@code "/"} or empty → {@code ""}. */
    static String normalize(String path) {
        String p = path.trim();
        if (p.endsWith("/*")) {
            p = p.substring(0, p.length() - 2);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p.startsWith("/") ? p : "/" + p;
    }

    /**
     * The default WebSocket path, {@code <@ApplicationPath>/libchan/ws}, when the application classes
     * found name exactly one application path; empty when they name none or several.
     */
    static Optional<String> defaultWebSocketPath(Set<Class<?>> applications) {
        Set<String> paths = new TreeSet<>();
        if (applications != null) {
            for (Class<?> c : applications) {
                ApplicationPath a = c.getAnnotation(ApplicationPath.class);
                if (a != null) {
                    paths.add(normalize(a.value()));
                }
            }
        }
        return paths.size() == 1 ? Optional.of(paths.iterator().next() + WEBSOCKET) : Optional.empty();
    }
}
