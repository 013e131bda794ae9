package io.libchan;

/**
 * The peer broke the protocol: a malformed frame or message, an unknown reference, a value of
 * the wrong kind. {@link #isSessionFatal()} says whether the whole session was closed (framing
 * errors: GOAWAY was sent) or only this channel failed (a bad message on one stream).
 */
public class ProtocolException extends LibchanException {
    private final boolean sessionFatal;

    public ProtocolException(String message) {
        this(message, false, null);
    }

    public ProtocolException(String message, boolean sessionFatal, Throwable cause) {
        super(message, cause);
        this.sessionFatal = sessionFatal;
    }

    /** True when the session was closed because of this error, false when only one channel failed. */
    public boolean isSessionFatal() {
        return sessionFatal;
    }
}
