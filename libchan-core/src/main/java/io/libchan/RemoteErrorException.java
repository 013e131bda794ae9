package io.libchan;

/**
 * The peer answered with an error reply, the convention every layer of this library shares:
 * a message {@code {"error": {"type": ..., "message": ...}}} on the reply channel.
 */
public class RemoteErrorException extends LibchanException {
    private final String type;

    public RemoteErrorException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    /** The error's type as the peer named it, e.g. a Java exception class name. */
    public String type() {
        return type;
    }
}
