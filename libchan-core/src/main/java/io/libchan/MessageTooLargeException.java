package io.libchan;

/**
 * A message is over a size limit: ours on receive (the configured maximum message, frame,
 * string or binary size), or the peer's on send (jschan peers cannot take a message over 64 KiB).
 * On send nothing was written and the channel stays usable; on receive the channel fails.
 */
public class MessageTooLargeException extends LibchanException {
    public MessageTooLargeException(String message) {
        super(message);
    }
}
