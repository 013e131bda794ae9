package io.libchan.spi;

/**
 * A nested reference as it travels in a message: its kind and the reference id of the stream the
 * encoding side opened for it (the {@code libchan-ref} of that stream, in the encoder's namespace).
 */
public record Reference(ReferenceKind kind, long id) {
}
