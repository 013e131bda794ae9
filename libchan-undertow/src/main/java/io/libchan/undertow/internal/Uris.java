package io.libchan.undertow.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * How the HTTP transports read their URIs (PROTOCOL.md section 13, "URIs"): the scheme says the protocol
 * and whether TLS is on, the path is the mount prefix (default {@value #DEFAULT_PREFIX}), and user
 * info becomes an {@code Authorization: Basic} header.
 */
public final class Uris {
    /** Where libchan is mounted when the URI has no path. */
    public static final String DEFAULT_PREFIX = "/libchan";
    /** The path of the HTTP/2 tunnel, below the prefix. */
    public static final String SESSION_PATH = "/session";
    /** The path of HTTP/1.1 request/reply calls, below the prefix. */
    public static final String CALL_PATH = "/call";

    private Uris() {
    }

    public static String scheme(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** True for {@code wss}, {@code h2} and {@code https}. */
    public static boolean secure(URI uri) {
        String s = scheme(uri);
        return s.equals("wss") || s.equals("h2") || s.equals("https");
    }

    /** True for the WebSocket schemes. */
    public static boolean webSocket(URI uri) {
        String s = scheme(uri);
        return s.equals("ws") || s.equals("wss");
    }

    public static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("libchan URI needs a host: " + uri);
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port, or 443/80 when the URI has none. */
    public static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : secure(uri) ? 443 : 80;
    }

    /** The mount prefix: the URI's path without a trailing slash, or {@value #DEFAULT_PREFIX}. */
    public static String prefix(URI uri) {
        return normalizePrefix(uri.getRawPath());
    }

    /** {@code "/a/b/"} → {@code "/a/b"}; empty or {@code "/"} → {@value #DEFAULT_PREFIX}. */
    public static String normalizePrefix(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return DEFAULT_PREFIX;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** {@code Basic base64(user:password)} from the URI's user info, if it has one. */
    public static Optional<String> basicAuthorization(URI uri) {
        String info = uri.getUserInfo();
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code host:port} for a Host header or an {@code :authority}, with IPv6 brackets. */
    public static String authority(URI uri) {
        String host = host(uri);
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port(uri);
    }

    /** The URI a listener reports: scheme, host, the bound port and the prefix; no query, no user info. */
    public static URI bound(String scheme, String host, int port, String prefix) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + h + ":" + port + prefix);
    }
}
