package io.libchan;

/**
 * A message was received but does not fit the Java type the receiver asked for. The message is
 * not lost: {@link #untypedMessage()} holds it as received (maps, lists, scalars, channels).
 * The channel stays usable.
 */
public class MessageTypeException extends LibchanException {
    private final transient Object untypedMessage;

    public MessageTypeException(String message, Object untypedMessage, Throwable cause) {
        super(message, cause);
        this.untypedMessage = untypedMessage;
    }

    /** The message as received, in its untyped form. */
    public Object untypedMessage() {
        return untypedMessage;
    }
}
