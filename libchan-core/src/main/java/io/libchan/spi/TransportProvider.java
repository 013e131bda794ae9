package io.libchan.spi;

import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.util.Set;

/**
 * Plugs a transport into {@link io.libchan.Libchan} for some URI schemes. Found with
 * {@link java.util.ServiceLoader}; implementations must be thread-safe and have a public no-arg
 * constructor.
 */
public interface TransportProvider {

    /** The URI schemes served, lowercase (e.g. {@code tcp}, {@code tls}). */
    Set<String> schemes();

    /** Opens a client session; {@code settings} already include the URI's query parameters. */
    Transport connect(URI uri, Settings settings);

    /** Starts a server; {@code settings} already include the URI's query parameters. */
    Listener listen(URI uri, Settings settings);
}
