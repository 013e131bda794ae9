package io.libchan.cdi;

/** Which side of a session this application is. */
public enum SessionRole {
    /** The session was opened by a {@link Channel} to a remote URI. */
    CLIENT,
    /** The session was accepted by a {@code libchan.server.<name>} listener. */
    SERVER
}
