package io.libchan.cdi.internal;

import io.libchan.Settings;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The validated settings of one {@code libchan.server.<name>}. Immutable.
 *
 * @param name the server name
 * @param listen the URI to listen on; empty for a server whose listener the application opens and
 *               hands over ({@link io.libchan.cdi.ChannelServers#serve(String, io.libchan.Listener)})
 * @param defaultEndpoint where unnamed channels go, if anywhere
 * @param settings session settings (limits, TLS, client-auth...); for a handed-over listener only
 *                 {@code drain-timeout} applies, its sessions having been made by the listener
 * @param anonymous {@code anonymous=true}: its peers are served without authentication
 * @param endpoints the endpoints its sessions may reach ({@code endpoints}); empty: all
 * @param targets the gateway targets its sessions may use ({@code targets}); empty: all, as {@link GatewayAccess} says
 */
record ServerConfig(String name, Optional<URI> listen, Optional<String> defaultEndpoint, Settings settings,
                    boolean anonymous, Optional<Set<String>> endpoints, Optional<Set<String>> targets) {

    /** A server named only by the application's call, without any configuration. */
    static ServerConfig unconfigured(String name) {
        return new ServerConfig(name, Optional.empty(), Optional.empty(), Settings.defaults(), false, Optional.empty(),
                Optional.empty());
    }

    /**
     * True for a listener this module opens on the network (any {@code listen} URI but {@code inmem:},
     * which only this JVM reaches): its peers are authenticated unless it is {@link #anonymous()}.
     */
    boolean raw() {
        return listen.isPresent() && !"inmem".equals(String.valueOf(listen.get().getScheme()).toLowerCase(Locale.ROOT));
    }

    /** Its listener needs a TLS client certificate ({@code clientAuth=need}, as a key or in the listen URI). */
    boolean needsClientCertificates() {
        try {
            return listen.map(settings::withUriParameters).orElse(settings).clientAuth().equals("need");
        } catch (IllegalArgumentException e) {
            return false; // a bad parameter, reported by the validation
        }
    }

    /** Its sessions are authenticated by the application's {@link io.libchan.cdi.PeerAuthenticator}. */
    boolean authenticates() {
        return raw() && !anonymous;
    }
}
