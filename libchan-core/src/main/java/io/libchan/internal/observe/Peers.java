package io.libchan.internal.observe;

/**
 * Reads the transport and the peer's address out of a wire's description ({@code tcp:///127.0.0.1:52114};
 * {@code ws:/path}: a WebSocket whose peer's address the server cannot tell).
 */
final class Peers {
    private Peers() {
    }

    static String transportOf(String description) {
        int i = description == null ? -1 : description.indexOf("://");
        if (i < 0 && withoutPeer(description)) {
            return description.substring(0, description.indexOf(':'));
        }
        String scheme = i > 0 ? description.substring(0, i) : "unknown";
        // the HTTP/2 tunnel's client names its peer by the URL it posts to
        return switch (scheme) {
            case "https" -> "h2";
            case "http" -> "h2c";
            default -> scheme;
        };
    }

    /**
     * The part after the scheme: a unix socket's path whole; for the others the authority, with
     * the leading slash of a {@code SocketAddress}'s text dropped and no path after it.
     */
    static String peerOf(String description) {
        int i = description == null ? -1 : description.indexOf("://");
        if (i < 0) {
            return withoutPeer(description) ? null : description;
        }
        String rest = description.substring(i + 3);
        if (description.startsWith("unix")) {
            return rest;
        }
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        int end = rest.length();
        for (int k = 0; k < rest.length(); k++) {
            char c = rest.charAt(k);
            if (c == '/' || c == '?' || c == ' ') {
                end = k;
                break;
            }
        }
        return rest.substring(0, end);
    }

    /**
     * {@code scheme:/path…}: a server that knows its transport and path but not the peer's address
     * (Jakarta WebSocket does not tell it: libchan-rest-fallback's {@code ws:/app/api/libchan/ws (alice)}).
     */
    private static boolean withoutPeer(String description) {
        int colon = description == null ? -1 : description.indexOf(":/");
        if (colon <= 0) {
            return false;
        }
        for (int k = 0; k < colon; k++) {
            char c = description.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
