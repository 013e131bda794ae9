package io.libchan.cdi.internal;

import io.libchan.Settings;
import java.net.URI;
import java.util.Optional;

/**
 * The validated settings of one {@code libchan.server.<name>}. Immutable.
 *
 * @param name the server name
 * @param listen the URI to listen on
 * @param defaultEndpoint where unnamed channels go, if anywhere
 * @param settings session settings (limits, TLS, client-auth...)
 */
record ServerConfig(String name, URI listen, Optional<String> defaultEndpoint, Settings settings) {
}
