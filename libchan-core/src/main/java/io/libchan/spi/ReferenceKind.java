package io.libchan.spi;

/**
 * What the receiver of a message gets for a nested reference, named from the decoder's side.
 * The stream behind it is always opened by the side that encodes the reference.
 */
public enum ReferenceKind {
    /** A {@link io.libchan.Sender}: messages flow from the decoder back to the encoder (a reply channel). */
    SENDER,
    /** A {@link io.libchan.Receiver}: messages flow from the encoder to the decoder. */
    RECEIVER,
    /** A duplex {@link io.libchan.ByteStream}. */
    BYTE_STREAM,
    /** A byte stream the decoder only writes (the encoder held an {@code OutputStream}). */
    BYTE_STREAM_WRITE,
    /** A byte stream the decoder only reads (the encoder held an {@code InputStream}). */
    BYTE_STREAM_READ,
    /**
     * A file descriptor passed over a unix socket (SCM_RIGHTS), a Java-only extension; the decoder
     * gets a {@link java.io.FileDescriptor} for the same open file or socket.
     */
    FILE_DESCRIPTOR;

    public boolean isChannel() {
        return this == SENDER || this == RECEIVER;
    }
}
