package io.libchan;

import java.util.Locale;

/**
 * The two incompatible libchan wire dialects. A client picks one ({@code ?dialect=} on the URI);
 * a server detects it per session from the peer's first top-level stream.
 */
public enum Dialect {
    /** docker/libchan master (2016): msgpack ext 1-6. The default. */
    HEAD("head"),
    /** docker/libchan v0.1.0 (2015) and node's jschan: ext 1 = channel + direction byte, ext 2 = byte stream. */
    V0_1_0("v0.1.0");

    private final String id;

    Dialect(String id) {
        this.id = id;
    }

    /** The name used in URIs and config: {@code head} or {@code v0.1.0}. */
    public String id() {
        return id;
    }

    /** Parses {@code head}, {@code v0.1.0} or its alias {@code jschan}, ignoring case. */
    public static Dialect parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "head":
                return HEAD;
            case "v0.1.0":
            case "v0.1":
            case "0.1.0":
            case "jschan":
                return V0_1_0;
            default:
                throw new IllegalArgumentException("unknown libchan dialect '" + text + "' (expected head, v0.1.0 or jschan)");
        }
    }
}
