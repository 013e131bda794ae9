package io.libchan.cdi.internal;

import io.libchan.Settings;
import java.net.URI;
import java.util.Optional;

/**
 * The validated settings of one {@code libchan.server.<name>}. Immutable.
 *
 * @param name the server name
 * @param listen the URI to listen on; empty for a server whose listener the application opens and
 *               hands over ({@link io.libchan.cdi.ChannelServers#serve(String, io.libchan.Listener)})
 * @param defaultEndpoint where unnamed channels go, if anywhere
 * @param settings session settings (limits, TLS, client-auth...); for a handed-over listener only
 *                 {@code drain-timeout} applies, its sessions having been made by the listener
 */
record ServerConfig(String name, Optional<URI> listen, Optional<String> defaultEndpoint, Settings settings) {

    /** A server named only by the application's call, without any configuration. */
    static ServerConfig unconfigured(String name) {
        return new ServerConfig(name, Optional.empty(), Optional.empty(), Settings.defaults());
    }
}
