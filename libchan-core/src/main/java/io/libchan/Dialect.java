package io.libchan;

import java.util.Locale;

/**
 * The two incompatible libchan wire dialects, and jschan, which speaks v0.1.0 with limits of its own.
 * A client picks one ({@code ?dialect=} on the URI); a server detects it per session from the peer's
 * first top-level stream.
 */
public enum Dialect {
    /** docker/libchan master (2016): msgpack ext 1-6. The default. */
    HEAD("head"),
    /** docker/libchan v0.1.0 (2015): ext 1 = channel + direction byte, ext 2 = byte stream. */
    V0_1_0("v0.1.0"),
    /**
     * node's jschan (over node-spdy): the v0.1.0 wire, with a message limited to one DATA frame of
     * 64 KiB (one TLS record over TLS) and HTTP header text to drop on the streams it answers
     * (PROTOCOL.md, "Dialects").
     */
    JSCHAN("jschan");

    private final String id;

    Dialect(String id) {
        this.id = id;
    }

    /** The name used in URIs and config: {@code head}, {@code v0.1.0} or {@code jschan}. */
    public String id() {
        return id;
    }

    /** The messages' encoding: {@link #HEAD} or {@link #V0_1_0} (jschan's). */
    public Dialect wire() {
        return this == JSCHAN ? V0_1_0 : this;
    }

    /** Parses {@code head}, {@code v0.1.0} or {@code jschan}, ignoring case. */
    public static Dialect parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "head":
                return HEAD;
            case "v0.1.0":
            case "v0.1":
            case "0.1.0":
                return V0_1_0;
            case "jschan":
                return JSCHAN;
            default:
                throw new IllegalArgumentException("unknown libchan dialect '" + text + "' (expected head, v0.1.0 or jschan)");
        }
    }
}
