package io.libchan.undertow;

import io.libchan.ConnectionLostException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.transport.TlsSockets;
import io.libchan.undertow.internal.Uris;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;

/**
 * An embedded Undertow server on one port serving a {@link LibchanEndpoint} under a prefix, beside
 * any handlers the application adds: cleartext it speaks HTTP/1.1, HTTP/2 with prior knowledge and
 * {@code Upgrade: h2c}, and WebSocket; with TLS, HTTP/2 (ALPN {@code h2}), HTTP/1.1 and secure
 * WebSocket. This is what {@code Libchan.listen("ws://…")}, {@code h2c://…}, {@code wss://…},
 * {@code h2://…} and {@code https://…} start.
 *
 * <p>Limits per HTTP/2 connection: at most {@link Builder#maxStreamsPerConnection} concurrent
 * streams (sessions and calls); each session then has the limits of its {@link Settings}.
 * Thread-safe; {@link #close()} stops the server and aborts every session it started.
 */
public final class LibchanServer implements Listener {
    private final Undertow undertow;
    private final LibchanEndpoint endpoint;
    private final URI uri;
    private final int port;

    private LibchanServer(Undertow undertow, LibchanEndpoint endpoint, URI uri, int port) {
        this.undertow = undertow;
        this.endpoint = endpoint;
        this.uri = uri;
        this.port = port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scheme, host, bound port and prefix, e.g. {@code h2c://127.0.0.1:41234/libchan}. */
    @Override
    public URI uri() {
        return uri;
    }

    /** The port actually bound. */
    public int port() {
        return port;
    }

    /** The endpoint this server mounts. */
    public LibchanEndpoint endpoint() {
        return endpoint;
    }

    /** Its endpoint's ({@link LibchanEndpoint#state()}). */
    @Override
    public java.util.Optional<io.libchan.ListenerState> state() {
        return endpoint.state();
    }

    @Override
    public Transport accept() {
        return endpoint.accept();
    }

    @Override
    public Transport accept(Duration timeout) {
        return endpoint.accept(timeout);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Transport> acceptAsync() {
        return endpoint.acceptAsync();
    }

    /** Stops the server: connections are closed, sessions not yet accepted aborted. Idempotent. */
    @Override
    public void close() {
        endpoint.close();
        try {
            undertow.stop();
        } catch (RuntimeException e) {
            // already stopped
        }
    }

    /** Builds and starts a {@link LibchanServer}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private boolean tls;
        private String scheme;
        private String prefix = Uris.DEFAULT_PREFIX;
        private Settings settings = Settings.defaults();
        private LibchanEndpoint endpoint;
        private HttpHandler fallback = ResponseCodeHandler.HANDLE_404;
        private final Map<String, HttpHandler> mounts = new LinkedHashMap<>();
        private int maxStreamsPerConnection = 100;

        private Builder() {
        }

        /** The address to bind (default 127.0.0.1). */
        public Builder host(String value) {
            host = Objects.requireNonNull(value);
            return this;
        }

        /** The port (default 0: a free one, see {@link LibchanServer#port()}). */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /** TLS with the key store of the settings (or their SSLContext); required for h2 and wss. */
        public Builder tls(boolean value) {
            tls = value;
            return this;
        }

        /** The scheme {@link LibchanServer#uri()} shows (default {@code h2c}, or {@code https} with TLS). */
        public Builder scheme(String value) {
            scheme = value;
            return this;
        }

        /** Where libchan is mounted (default {@value Uris#DEFAULT_PREFIX}). */
        public Builder prefix(String value) {
            prefix = Uris.normalizePrefix(value);
            return this;
        }

        /** Settings for the TLS listener and, unless an endpoint is given, for every session. */
        public Builder settings(Settings value) {
            settings = Objects.requireNonNull(value);
            return this;
        }

        /** Serves this endpoint instead of a new one made from the settings. */
        public Builder endpoint(LibchanEndpoint value) {
            endpoint = value;
            return this;
        }

        /** Mounts an application handler at {@code path} beside libchan. */
        public Builder addPrefixPath(String path, HttpHandler handler) {
            mounts.put(path, Objects.requireNonNull(handler));
            return this;
        }

        /** What answers paths nobody mounted (default 404). */
        public Builder fallback(HttpHandler handler) {
            fallback = Objects.requireNonNull(handler);
            return this;
        }

        /** Concurrent HTTP/2 streams (sessions, calls) one connection may open (default 100). */
        public Builder maxStreamsPerConnection(int value) {
            maxStreamsPerConnection = value;
            return this;
        }

        /** Binds and starts the server. @throws ConnectionLostException when it cannot bind */
        public LibchanServer start() {
            LibchanEndpoint ep = endpoint != null ? endpoint : LibchanEndpoint.create(settings);
            PathHandler paths = Handlers.path(fallback);
            mounts.forEach(paths::addPrefixPath);
            ep.mountOn(paths, prefix);
            Undertow.Builder b = Undertow.builder()
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                    .setServerOption(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, maxStreamsPerConnection)
                    // keep HTTP/2's default window: Undertow 2.3 never raises the connection window to a
                    // larger SETTINGS_INITIAL_WINDOW_SIZE, and a window over 128 KiB stalls the connection
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    .setSocketOption(Options.REUSE_ADDRESSES, true)
                    .setHandler(paths);
            if (tls) {
                b.addHttpsListener(port, host, sslContext());
                if (settings.clientAuth().equals("need")) {
                    b.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUIRED);
                } else if (settings.clientAuth().equals("want")) {
                    b.setSocketOption(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.REQUESTED);
                }
            } else {
                b.addHttpListener(port, host);
            }
            Undertow undertow = b.build();
            try {
                undertow.start();
            } catch (RuntimeException e) {
                throw new ConnectionLostException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            int bound = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            URI uri = Uris.bound(scheme != null ? scheme : tls ? "https" : "h2c", host, bound, prefix);
            ep.boundTo(uri);
            return new LibchanServer(undertow, ep, uri, bound);
        }

        private SSLContext sslContext() {
            if (settings.keyStore().isEmpty() && settings.sslContext().isEmpty()) {
                throw new IllegalArgumentException("a TLS libchan server needs a key store (keystore=...) or an SSLContext");
            }
            try {
                return TlsSockets.context(settings);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }
}
