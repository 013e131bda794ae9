package io.libchan.undertow;

import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.fallback.AllowedOrigins;
import io.libchan.internal.session.SessionThreads;
import io.libchan.undertow.internal.fallback.CallHandler;
import io.libchan.undertow.internal.h2.TunnelHandler;
import io.libchan.undertow.internal.server.EndpointRoutes;
import io.libchan.undertow.internal.server.SessionQueue;
import io.libchan.undertow.internal.ws.WebSocketSessions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * libchan as an Undertow {@link HttpHandler}, to mount under a path prefix beside an application's
 * own handlers (PROTOCOL.md section 13, "Paths"):
 * <pre>
 *   LibchanEndpoint libchan = LibchanEndpoint.builder().settings(settings).build();
 *   PathHandler paths = Handlers.path(appHandler);
 *   libchan.mountOn(paths, "/libchan");            // or paths.addPrefixPath("/libchan", libchan.handler())
 *   Undertow.builder()...setHandler(paths)...      // then: Transport t = libchan.accept();
 * </pre>
 * Below the prefix: the prefix itself takes WebSocket upgrades ({@code libchan.spdy3},
 * {@code libchan.json}, or none for Go-style peers), {@code /session} takes HTTP/2 tunnels and
 * {@code /call[/name]} HTTP/1.1 JSON calls. Whatever runs before this handler (authentication,
 * a proxy's checks) sees ordinary HTTP requests, so it may refuse one before any libchan frame is read;
 * an authenticated principal becomes the session's {@link Transport#peerPrincipal()}, and the
 * request's roles answer {@link Transport#isPeerInRole}. A browser's request from another origin
 * than the server's own is refused with 403 unless {@link Builder#allowedOrigins allowed}; requests
 * without an {@code Origin} header (Java, Go, jschan, curl) are not concerned.
 *
 * <p>Every connection, tunnel or call becomes one {@link Transport}, handed to {@link #accept()} (a
 * bounded backlog: when it is full, new sessions are refused with 503) or, if the builder was given
 * a {@link Builder#onSession session callback}, to that callback. Thread-safe.
 */
public final class LibchanEndpoint implements Listener {
    private final Settings settings;
    private final Executor executor;
    private final SessionQueue sessions;
    private final HttpHandler handler;
    private volatile URI uri;

    private LibchanEndpoint(Builder b) {
        this.settings = b.settings;
        this.executor = b.executor;
        this.sessions = new SessionQueue(b.backlog, settings.maxConnections(), b.onSession, b.executor);
        this.uri = b.uri;
        this.handler = new EndpointRoutes(b.origins,
                WebSocketSessions.handler(sessions, settings, executor, EndpointRoutes.NOT_A_WEBSOCKET),
                new TunnelHandler(sessions, settings, executor),
                new CallHandler(sessions, settings, executor, b.callTimeout));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An endpoint with these settings and the defaults for everything else. */
    public static LibchanEndpoint create(Settings settings) {
        return builder().settings(settings).build();
    }

    /** The handler to mount under a prefix; it expects the prefix stripped, as {@link PathHandler} does. */
    public HttpHandler handler() {
        return handler;
    }

    /** Mounts {@link #handler()} at {@code prefix} on {@code paths} and returns {@code paths}. */
    public PathHandler mountOn(PathHandler paths, String prefix) {
        paths.addPrefixPath(prefix, handler);
        if (uri == null) {
            uri = URI.create(prefix);
        }
        return paths;
    }

    /** The settings every session of this endpoint gets. */
    public Settings settings() {
        return settings;
    }

    /**
     * Where the endpoint is reachable, as far as it knows: the URI given to the builder or set by
     * {@link LibchanServer}, else the mount prefix as a relative URI.
     */
    @Override
    public URI uri() {
        return uri;
    }

    void boundTo(URI bound) {
        uri = bound;
    }

    /**
     * Open (and its acceptor alive: requests are its acceptor) until {@link #close()}; accepting
     * while a new session finds room in the backlog and under the connection limit; its
     * connections are the sessions it handed out or holds that have not ended (WebSocket sessions,
     * tunnels and HTTP/1.1 calls), against {@link Settings#maxConnections()} as on a raw listener;
     * stuck draining, those of its sessions that went away more than twice their drain timeout ago
     * and still have not ended.
     */
    @Override
    public java.util.Optional<io.libchan.ListenerState> state() {
        boolean open = !sessions.isClosed();
        return java.util.Optional.of(new io.libchan.ListenerState(open, open, open && sessions.hasRoom(),
                sessions.live().size(), sessions.maxConnections(), sessions.live().stuckDraining(System.nanoTime())));
    }

    /** @throws IllegalStateException when the endpoint hands its sessions to a callback */
    @Override
    public Transport accept() {
        return sessions.take(null, String.valueOf(uri));
    }

    @Override
    public Transport accept(Duration timeout) {
        return sessions.take(Objects.requireNonNull(timeout), String.valueOf(uri));
    }

    /** @throws IllegalStateException when the endpoint hands its sessions to a callback */
    @Override
    public java.util.concurrent.CompletableFuture<Transport> acceptAsync() {
        return sessions.takeAsync(String.valueOf(uri));
    }

    /**
     * Stops taking sessions: new requests get 503, sessions not yet accepted are aborted. Sessions
     * already accepted stay open. Idempotent.
     */
    @Override
    public void close() {
        sessions.close();
    }

    /**
     * What an application that goes away calls: {@link #close()}, and then every session this
     * endpoint handed out and that is still open is closed gracefully: GOAWAY at once, channels
     * still open get the settings' {@code drainTimeout}, then the HTTP/2 tunnel stream is ended and
     * reset, or the connection closed, so that the client sees the end
     * ({@link io.libchan.ConnectionLostException} for the channels it still held). An HTTP/2 tunnel
     * lives on a connection of the server's, which the application's end does not close. Returns
     * without waiting for the drain. Idempotent.
     */
    public void shutdown() {
        close();
        sessions.live().closeAll();
    }

    /**
     * As {@link #shutdown()}, leaving the application {@code grace} to end its sessions its own way
     * first (libchan-cdi drains the sessions it serves, within their drain timeout): only those still
     * open then are closed as above. Returns at once. The servlet extension calls it with the
     * settings' {@code drainTimeout} when its deployment stops.
     */
    public void shutdown(Duration grace) {
        close();
        sessions.live().closeAllAfter(Objects.requireNonNull(grace));
    }

    /** Builds a {@link LibchanEndpoint}; not thread-safe. */
    public static final class Builder {
        private Settings settings = Settings.defaults();
        private Executor executor = SessionThreads.executor();
        private int backlog = 128;
        private Consumer<Transport> onSession;
        private URI uri;
        private Duration callTimeout = Duration.ofSeconds(30);
        private AllowedOrigins origins = AllowedOrigins.sameOrigin();

        private Builder() {
        }

        /**
         * The web origins ({@code https://app.example.com}, comma-separated or one per argument) whose
         * pages may open sessions and make calls besides the server's own (scheme, host and port of the
         * request's {@code Host}); {@code *} allows any. Default: the server's own only. A browser's
         * request from another origin gets 403; requests without an {@code Origin} header pass.
         *
         * @throws IllegalArgumentException when an entry is not an origin
         */
        public Builder allowedOrigins(String... value) {
            origins = AllowedOrigins.parse(String.join(",", value));
            return this;
        }

        /** Limits, timeouts and TLS of every session (the client's query parameters do not apply here). */
        public Builder settings(Settings value) {
            settings = Objects.requireNonNull(value);
            return this;
        }

        /** Runs session work (readers, pumps, callbacks); a container passes its managed executor. */
        public Builder executor(Executor value) {
            executor = Objects.requireNonNull(value);
            return this;
        }

        /** Sessions that may wait for {@link #accept()} before new ones are refused with 503 (default 128). */
        public Builder backlog(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("backlog must be positive: " + value);
            }
            backlog = value;
            return this;
        }

        /** Hands every new session to {@code callback} on the executor instead of queueing it for accept(). */
        public Builder onSession(Consumer<Transport> callback) {
            onSession = Objects.requireNonNull(callback);
            return this;
        }

        /**
         * How long an HTTP/1.1 call waits for the application's first reply before it is answered
         * 504 (default 30 s). Event streams have no limit once their first event is out.
         */
        public Builder callTimeout(Duration value) {
            callTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** The URI {@link LibchanEndpoint#uri()} reports. */
        public Builder uri(URI value) {
            uri = value;
            return this;
        }

        public LibchanEndpoint build() {
            return new LibchanEndpoint(this);
        }
    }
}
