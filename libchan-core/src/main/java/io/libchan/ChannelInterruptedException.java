package io.libchan;

/**
 * The thread blocked in a channel call was interrupted; the call was withdrawn exactly as on a
 * timeout (nothing sent, nothing taken) and the thread's interrupt status is set again.
 */
public class ChannelInterruptedException extends LibchanException {
    public ChannelInterruptedException(InterruptedException cause) {
        super("interrupted while waiting on a channel", cause);
    }
}
