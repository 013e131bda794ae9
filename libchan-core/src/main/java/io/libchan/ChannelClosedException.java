package io.libchan;

/**
 * The operation needs an open channel and this one is closed: a send after {@link Sender#close()},
 * a send on a channel whose receiver went away (closed, or reset by the peer), or a receive after
 * {@link Receiver#close()}. Go panics in the first case; we throw this instead.
 */
public class ChannelClosedException extends LibchanException {
    public ChannelClosedException(String message) {
        super(message);
    }

    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
