package io.libchan.internal.fallback;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which web origins may open a session or make a call through an HTTP door (PROTOCOL.md section
 * 13.7): a request without an {@code Origin} header (no browser: the CLI, Go, jschan) always may; a
 * browser's request may when its origin is the server's own (scheme, host and port of the request's
 * {@code Host}), is listed, or the list is {@code *}. Everything else is refused with 403, so a script
 * on a foreign page cannot use the credentials the browser holds for this server (cross-site
 * WebSocket hijacking). Immutable.
 */
public final class AllowedOrigins {
    private static final AllowedOrigins SAME_ORIGIN = new AllowedOrigins(false, Set.of());

    private final boolean any;
    /** Normalised {@code scheme://host:port}. */
    private final Set<String> listed;

    private AllowedOrigins(boolean any, Set<String> listed) {
        this.any = any;
        this.listed = listed;
    }

    /** The server's own origin only: the default. */
    public static AllowedOrigins sameOrigin() {
        return SAME_ORIGIN;
    }

    /**
     * A comma-separated list of origins ({@code https://app.example.com, http://localhost:3000}) allowed
     * besides the server's own; {@code *} allows any; null or blank means the server's own only.
     *
     * @throws IllegalArgumentException naming an entry that is not an origin
     */
    public static AllowedOrigins parse(String list) {
        if (list == null || list.isBlank()) {
            return SAME_ORIGIN;
        }
        Set<String> entries = Arrays.stream(list.split(",")).map(String::trim).filter(e -> !e.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        if (entries.contains("*")) {
            return new AllowedOrigins(true, Set.of());
        }
        Set<String> origins = new TreeSet<>();
        for (String entry : entries) {
            origins.add(normalise(entry).orElseThrow(() -> new IllegalArgumentException(
                    "'" + entry + "' is not an origin such as https://app.example.com or http://localhost:8080 (or * for any)")));
        }
        return new AllowedOrigins(false, Set.copyOf(origins));
    }

    /**
     * True when a request whose {@code Origin} header is {@code origin} (null: none) may pass.
     *
     * @param scheme the request's scheme, {@code http} or {@code https}
     * @param host the request's {@code Host} header ({@code host[:port]}), null if it had none
     */
    public boolean allows(String origin, String scheme, String host) {
        if (origin == null || any) {
            return true;
        }
        Optional<String> from = normalise(origin);
        if (from.isEmpty()) {
            return false; // "null" (a sandboxed page, a file) or garbage: never the server's own
        }
        if (listed.contains(from.get())) {
            return true;
        }
        return host != null && scheme != null && normalise(scheme + "://" + host).equals(from);
    }

    /** The text of the 403 for a refused {@code origin}. */
    public String refusal(String origin) {
        return "the origin " + origin + " may not use this server"
                + (listed.isEmpty() ? " (only its own origin may)" : " (its own origin and " + String.join(", ", listed) + " may)");
    }

    /** {@code scheme://host:port} in lower case, default ports written out; empty when it is no origin. */
    private static Optional<String> normalise(String origin) {
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme();
            String host = u.getHost();
            boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
                    && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (scheme == null || host == null || !bare) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = u.getPort() >= 0 ? u.getPort() : defaultPort(scheme);
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }

    @Override
    public String toString() {
        return any ? "*" : listed.isEmpty() ? "same origin" : "same origin, " + String.join(", ", listed);
    }
}
