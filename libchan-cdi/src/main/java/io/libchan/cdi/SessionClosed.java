package io.libchan.cdi;

import java.net.URI;
import java.util.Objects;

/**
 * CDI event fired once per session that was announced by {@link SessionOpened}, when it ends:
 * closed by either side, lost, or closed at shutdown. Observers run synchronously on a library
 * thread, with a request context active; an observer's exception is logged.
 *
 * @param name the channel name ({@link SessionRole#CLIENT}) or the server name ({@link SessionRole#SERVER})
 * @param uri the URI connected to, or the listener's bound URI
 * @param role which side of the session this application is
 * @param lost true when the session ended without a clean close (connection broken, aborted)
 */
public record SessionClosed(String name, URI uri, SessionRole role, boolean lost) {
    public SessionClosed {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(role, "role");
    }
}
