package io.libchan.undertow.internal;

import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.spi.TransportProvider;
import io.libchan.undertow.LibchanServer;
import io.libchan.undertow.internal.h2.TunnelClient;
import io.libchan.undertow.internal.ws.WebSocketClient;
import java.net.URI;
import java.util.Set;

/**
 * The HTTP schemes (PROTOCOL.md section 13, "URIs"). {@code ws://} and {@code wss://}: SPDY/3 in WebSocket
 * binary messages ({@code ?codec=json}: the {@code libchan.json} framing); {@code h2c://} (cleartext,
 * prior knowledge), {@code h2://} and {@code https://} (TLS, ALPN h2): the HTTP/2 tunnel. Listening on any of them starts a {@link LibchanServer} that serves every
 * protocol of its kind (cleartext or TLS) on the one port.
 */
public final class UndertowTransportProvider implements TransportProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("ws", "wss", "h2c", "h2", "https");
    }

    @Override
    public Transport connect(URI uri, Settings settings) {
        return Uris.webSocket(uri) ? WebSocketClient.connect(uri, settings) : TunnelClient.connect(uri, settings);
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        return LibchanServer.builder()
                .host(Uris.host(uri))
                .port(uri.getPort() < 0 ? 0 : uri.getPort())
                .tls(Uris.secure(uri))
                .scheme(Uris.scheme(uri))
                .prefix(Uris.prefix(uri))
                .settings(settings)
                .start();
    }
}
