package io.libchan;

/**
 * The session that carried the channel ended without a clean close: the connection broke, the
 * peer vanished or stopped answering keep-alive pings, or the session was aborted. Messages that
 * were in flight may be lost (libchan has no acknowledgements); every later operation on the
 * channels of that session fails at once with this exception.
 */
public class ConnectionLostException extends LibchanException {
    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
