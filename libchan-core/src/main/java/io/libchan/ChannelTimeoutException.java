package io.libchan;

/**
 * A blocking call reached its deadline. Nothing happened: a timed-out send did not hand its message
 * over (it will never be delivered), a timed-out receive took nothing off the channel. The channel
 * stays usable.
 */
public class ChannelTimeoutException extends LibchanException {
    public ChannelTimeoutException(String message) {
        super(message);
    }
}
