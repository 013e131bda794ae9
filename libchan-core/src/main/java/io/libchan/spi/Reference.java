package io.libchan.spi;

/**
 * A nested reference as it travels in a message: its kind and the reference id of the stream the
 * encoding side opened for it (the {@code libchan-ref} of that stream, in the encoder's namespace),
 * and, for a reply channel opened by its reference alone between Java peers that listed
 * {@code traced-refs} (PROTOCOL.md section 8), the W3C {@code traceparent} it opens in, else null.
 * A codec writes and reads a traceparent only if its {@link MessageCodec#carriesTraceparents()}
 * says so; the session gives it one only then.
 */
public record Reference(ReferenceKind kind, long id, String traceparent) {
    /** A reference without a trace. */
    public Reference(ReferenceKind kind, long id) {
        this(kind, id, null);
    }

    /** As a record writes itself, without the traceparent when there is none. */
    @Override
    public String toString() {
        return "Reference[kind=" + kind + ", id=" + id + (traceparent == null ? "" : ", traceparent=" + traceparent) + "]";
    }
}
