package io.libchan;

/**
 * Thrown by {@link Receiver#receive()} once the sender has closed the channel and every message
 * sent before the close has been received. This is the normal end of a channel, Go's {@code io.EOF};
 * a lost connection is reported as {@link ConnectionLostException} instead, never as this.
 */
public final class EndOfChannelException extends LibchanException {
    public EndOfChannelException() {
        super("end of channel: the sender closed it");
    }
}
