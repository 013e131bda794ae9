package io.libchan.spi;

/**
 * The session side of encoding: a codec calls {@link #reference(Object)} for every nested value it
 * meets, in order; the session opens the value's stream before the message is written (Go peers
 * expect the SYN_STREAM before the DATA that names it) and starts moving its messages or bytes.
 */
public interface EncodeContext {
    /**
     * Opens a stream for {@code value}, a {@link io.libchan.Sender}, {@link io.libchan.Receiver},
     * {@link io.libchan.ByteStream}, {@code InputStream} or {@code OutputStream}.
     */
    Reference reference(Object value);

    /** A context for messages that cannot carry references (fails on the first one). */
    EncodeContext NONE = value -> {
        throw new IllegalArgumentException("this channel cannot carry a " + value.getClass().getName());
    };
}
