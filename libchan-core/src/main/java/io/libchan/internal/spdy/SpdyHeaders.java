package io.libchan.internal.spdy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An ordered, immutable list of SPDY header (name, value) pairs. Every instance keeps the wire
 * invariants: names are non-empty, lowercase and unique. Several values of one name are held
 * as one value joined by NUL, as on the wire. Names and values are text, carried as UTF-8.
 *
 * <p>Built from the application side ({@link #of}, {@link #builder()}), names are lowercased and
 * repeated names merged, since writing lowercases names anyway. Parsed from the wire, an
 * uppercase or repeated name is a protocol error instead (see {@code HeaderBlock}).
 * Thread-safe because immutable.
 */
public final class SpdyHeaders {
    /** The empty header list. */
    public static final SpdyHeaders EMPTY = new SpdyHeaders(List.of());

    private final List<Header> headers;

    private SpdyHeaders(List<Header> headers) {
        this.headers = headers;
    }

    /** Wraps headers already checked against the invariants (by the builder or the parser). */
    static SpdyHeaders ofChecked(List<Header> headers) {
        return headers.isEmpty() ? EMPTY : new SpdyHeaders(Collections.unmodifiableList(headers));
    }

    /**
     * Headers from alternating names and values: {@code of("libchan-ref", "2")}.
     *
     * @throws IllegalArgumentException on an odd argument count, a null, or an empty name
     */
    public static SpdyHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments: "
                    + Arrays.toString(namesAndValues));
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    /** A builder; not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** The value of {@code name} (matched case-insensitively), NUL-joined if several, or null. */
    public String get(String name) {
        int i = indexOf(name); // callers mostly ask with lowercase constants
        if (i < 0) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower != name) { // toLowerCase returns the same string when nothing changed
                i = indexOf(lower);
            }
        }
        return i < 0 ? null : headers.get(i).value();
    }

    /** The values of {@code name} split at NUL, or an empty list if absent. */
    public List<String> getAll(String name) {
        String v = get(name);
        return v == null ? List.of() : List.of(v.split("\0", -1));
    }

    /** Number of distinct names. */
    public int size() {
        return headers.size();
    }

    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** The pairs in wire order; unmodifiable. */
    public List<Header> asList() {
        return headers;
    }

    private int indexOf(String lowerName) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equals(lowerName)) {
                return i;
            }
        }
        return -1;
    }

    /** Equal when the same pairs appear in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpdyHeaders h && h.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Header h : headers) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(h.name()).append(": \"").append(h.value().replace("\0", "\\0")).append('"');
        }
        return sb.append('}').toString();
    }

    /**
     * One header. The record itself only rejects nulls; the lowercase and uniqueness rules are
     * kept by {@link SpdyHeaders}.
     */
    public record Header(String name, String value) {
        /** @throws IllegalArgumentException if name or value is null */
        public Header {
            FrameChecks.notNull("header name", name);
            FrameChecks.notNull("header value", value);
        }
    }

    /** Collects headers in insertion order, lowercasing names and NUL-joining repeats. */
    public static final class Builder {
        private final List<Header> headers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a header; a name already present gets {@code value} appended after a NUL.
         *
         * @throws IllegalArgumentException if name or value is null, or the name is empty
         */
        public Builder add(String name, String value) {
            FrameChecks.notNull("header name", name);
            FrameChecks.notNull("header value", value);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            for (int i = 0; i < headers.size(); i++) {
                Header h = headers.get(i);
                if (h.name().equals(lower)) {
                    headers.set(i, new Header(lower, h.value() + '\0' + value));
                    return this;
                }
            }
            headers.add(new Header(lower, value));
            return this;
        }

        /** The headers added so far; the builder may be reused afterwards. */
        public SpdyHeaders build() {
            return ofChecked(new ArrayList<>(headers));
        }
    }
}
