package io.libchan.cdi.internal;

import io.libchan.ChannelClosedException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Transport;
import io.libchan.cdi.PeerAuthenticator;
import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code libchan.server.<name>}: a {@link Listener} whose accepted sessions are each served by
 * a {@link ServedSession}. The listener is opened by {@link #bind()} when the configuration has a
 * {@code listen} URI, or handed over by the application ({@link #handOver}) otherwise; either way
 * the server owns it from then on. Lifecycle: {@link #bind()} at deployment (a failure fails
 * deployment), {@link #start()} once the application is up (accepting begins then, or when the
 * listener is handed over, whichever is later), {@link #stopAccepting()} then {@link #drain} at
 * shutdown. Sessions are accepted without parking a thread ({@link Listener#acceptAsync()}).
 * A listener that {@linkplain ServerConfig#authenticates() authenticates} serves a session only
 * once the application's {@link io.libchan.cdi.PeerAuthenticator} accepted the peer on its first
 * top-level channel ({@link #authenticate}); a refused peer is turned away
 * ({@link Transport#refuse}). Thread-safe; {@code sessions}, {@code unidentified}, {@code started}
 * and {@code stopping} are guarded by {@code sessions}.
 */
final class ChannelServer {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final ServerConfig config;
    private final Endpoints endpoints;
    private final Optional<String> defaultEndpoint;
    private final LibchanExecutors executors;
    private final SessionEvents events;
    private final ChannelRejector rejector;
    private final PeerCheck peers;
    private final LibchanChannels own;
    private final Set<ServedSession> sessions = new HashSet<>();
    /** Accepted sessions whose peer is not authenticated yet. */
    private final Set<Transport> unidentified = new HashSet<>();
    private boolean started;
    private boolean stopping;
    private volatile Listener listener;
    /** True while an accept loop ({@link #acceptNext}) takes the listener's sessions. */
    private volatile boolean serving;

    /**
     * @param endpoints the application's; the server serves those its configuration lists, if it does
     * @param peers asked about each peer when the server {@linkplain ServerConfig#authenticates() authenticates}
     * @param own the gateway and the directory, as this server offers them
     */
    ChannelServer(ServerConfig config, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, SessionEvents events, PeerCheck peers, LibchanChannels own) {
        this.own = own;
        this.config = config;
        this.endpoints = config.endpoints().map(endpoints::only).orElse(endpoints);
        this.peers = peers;
        this.defaultEndpoint = defaultEndpoint;
        this.executors = executors;
        this.events = events;
        this.rejector = new ChannelRejector(executors);
    }

    String name() {
        return config.name();
    }

    ServerConfig config() {
        return config;
    }

    /** Starts listening, if the configuration says where. @throws RuntimeException when the URI cannot be listened on */
    void bind() {
        if (config.listen().isPresent()) {
            listener = Libchan.listen(config.listen().get(), executors.forSessions(config.settings()));
        }
    }

    /**
     * Serves {@code handed}, a listener the application opened, from now on (from {@link #start()} if
     * the application is not up yet).
     *
     * @throws IllegalArgumentException when the configuration names a {@code listen} URI for this server
     * @throws IllegalStateException when it already has a listener, or is shutting down (then {@code handed} is closed)
     */
    void handOver(Listener handed) {
        if (config.listen().isPresent()) {
            throw new IllegalArgumentException(UserMessages.notAHandedOverServer(config.name(), config.listen().get()));
        }
        boolean acceptNow;
        synchronized (sessions) {
            if (stopping) {
                handed.close();
                throw new IllegalStateException(UserMessages.shuttingDown());
            }
            if (listener != null) {
                throw new IllegalStateException(UserMessages.alreadyServesAListener(config.name(), listener.uri()));
            }
            listener = handed;
            acceptNow = started;
        }
        if (acceptNow) {
            acceptNext(handed);
        }
    }

    /** The listener's URI: where it is bound (the real port when the configuration said 0). */
    URI uri() {
        Listener l = listener;
        if (l == null) {
            throw new IllegalStateException(UserMessages.noListenerYet(config.name()));
        }
        return l.uri();
    }

    /**
     * Starts accepting sessions (at once, or once a listener is handed over).
     *
     * @return true when it waits for the application to hand over a listener
     */
    boolean start() {
        boolean acceptNow;
        synchronized (sessions) {
            if (started || stopping) {
                return false;
            }
            started = true;
            acceptNow = listener != null;
        }
        if (acceptNow) {
            acceptNext(listener);
        }
        return !acceptNow;
    }

    /**
     * Takes the sessions the listener has accepted without parking a thread
     * ({@link Listener#acceptAsync()}) and serves each at once on the thread that completes the
     * request, an I/O thread included ({@link #serve} does not block), then leaves a request for
     * the next, until the listener is closed. Sessions already waiting are taken in this loop
     * rather than by recursion.
     */
    private void acceptNext(Listener l) {
        serving = true;
        while (true) {
            CompletableFuture<Transport> next;
            try {
                next = l.acceptAsync();
            } catch (RuntimeException e) {
                acceptFailed(e);
                return;
            }
            if (next.isDone() && !next.isCompletedExceptionally()) {
                serveSafely(next.join(), l.uri());
                continue;
            }
            next.whenComplete((session, error) -> {
                if (error != null) {
                    acceptFailed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                } else {
                    serveSafely(session, l.uri());
                    acceptNext(l);
                }
            });
            return;
        }
    }

    private void serveSafely(Transport session, URI uri) {
        try {
            if (config.authenticates()) {
                authenticate(session, uri);
            } else {
                serve(session, uri, Optional.empty());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> UserMessages.sessionNotServed(config.name(), e), e);
            session.abort();
        }
    }

    private void acceptFailed(Throwable e) {
        serving = false;
        if (e instanceof ChannelClosedException) {
            return;
        }
        synchronized (sessions) {
            if (stopping) {
                return; // the listener was closed under us
            }
        }
        LOG.log(Level.WARNING, () -> UserMessages.acceptFailed(config.name(), e), e);
    }

    /**
     * Waits (holding no thread) for the first top-level channel of the session, asks the
     * application about its peer on the task executor, then serves the session as the identity
     * it was given, that channel first, or turns the peer away. Never blocks.
     */
    private void authenticate(Transport transport, URI uri) {
        synchronized (sessions) {
            if (stopping) {
                transport.close();
                return;
            }
            unidentified.add(transport);
        }
        AtomicReference<Receiver> arrived = new AtomicReference<>();
        Duration limit = authenticationTimeout();
        if (!limit.isZero()) {
            Future<?> deadline = executors.schedule(() -> notIdentifiedInTime(transport, uri, arrived.get()), limit);
            transport.closeFuture().whenComplete((v, e) -> deadline.cancel(false));
        }
        transport.receiveChannelAsync().whenComplete((first, error) -> {
            if (error != null) {
                forget(transport); // it ended before opening anything
                return;
            }
            arrived.set(first);
            executors.execute(() -> {
                try {
                    identify(transport, uri, first);
                } catch (RuntimeException e) {
                    forget(transport);
                    LOG.log(Level.WARNING, () -> UserMessages.sessionNotServed(config.name(), e), e);
                    transport.abort();
                }
            });
        });
    }

    /**
     * The peer must be identified within the listener's {@code first-stream-timeout} of its connection:
     * its first channel (the core closes a session that opens none in time) and the application's
     * answer about it. One still waiting then is turned away as a refused peer is (or, before its first
     * channel, sent GOAWAY), however long the application's authenticator goes on (its answer is dropped).
     */
    private void notIdentifiedInTime(Transport transport, URI uri, Receiver first) {
        if (forget(transport)) {
            LOG.log(Level.DEBUG, () -> UserMessages.peerRefused(config.name(), uri,
                    "not authenticated within its first-stream-timeout of " + authenticationTimeout().toMillis() + " ms"));
            if (first != null) {
                transport.refuse(first);
            } else {
                transport.close();
            }
        }
    }

    /** The listener's {@code firstStreamTimeout} (its URI's parameter, else the key); zero: no deadline. */
    private Duration authenticationTimeout() {
        try {
            return config.listen().map(config.settings()::withUriParameters).orElse(config.settings()).firstStreamTimeout();
        } catch (IllegalArgumentException e) {
            return config.settings().firstStreamTimeout();
        }
    }

    /** On the task executor: asks the application who the peer is, then serves the session or turns the peer away. */
    private void identify(Transport transport, URI uri, Receiver first) {
        PeerAuthenticator.Credentials credentials = new PeerAuthenticator.Credentials(config.name(), uri,
                first.bearerToken(), transport.peerPrincipal(), transport.peerCertificates());
        Optional<PeerAuthenticator.Identity> who = peers.authenticate(credentials);
        if (!forget(transport)) {
            first.close(); // drained meanwhile: the session is being closed
            return;
        }
        if (who.isEmpty()) {
            LOG.log(Level.DEBUG, () -> UserMessages.peerRefused(config.name(), uri, credentials.toString()));
            transport.refuse(first);
            return;
        }
        serve(new IdentifiedTransport(transport, who.get()), uri, Optional.of(first));
    }

    /** @return false when the session was no longer waiting for its peer to be identified (a drain took it) */
    private boolean forget(Transport transport) {
        synchronized (sessions) {
            return unidentified.remove(transport);
        }
    }

    /**
     * Serves an accepted session; never blocks. It is registered (so a drain at shutdown finds it)
     * and its channels routed at once, however busy the task executor is; {@link SessionOpened} is
     * fired on the executor, observers being application code, and {@link SessionClosed} after it.
     */
    private void serve(Transport transport, URI uri, Optional<Receiver> first) {
        ServedSession[] self = new ServedSession[1];
        self[0] = new ServedSession(transport, config.name(), uri, endpoints, defaultEndpoint, executors,
                rejector::reject, lost -> {
                    synchronized (sessions) {
                        sessions.remove(self[0]);
                    }
                    events.closed(new SessionClosed(config.name(), uri, SessionRole.SERVER, lost));
                }, java.util.Set.of(), Optional.of(ConfigKeys.server(config.name(), ConfigKeys.DEFAULT_ENDPOINT)))
                .offering(own);
        synchronized (sessions) {
            if (stopping) {
                transport.close();
                return;
            }
            sessions.add(self[0]);
        }
        CompletableFuture<Void> announced = new CompletableFuture<>();
        executors.execute(() -> {
            try {
                events.opened(new SessionOpened(config.name(), uri, SessionRole.SERVER, transport.peerPrincipal()));
            } finally {
                announced.complete(null);
            }
        });
        self[0].start(announced, first);
    }

    /** This server's health now; never blocks. */
    ServerHealth health() {
        Listener l = listener;
        boolean stopped;
        boolean running;
        synchronized (sessions) {
            stopped = stopping;
            running = started;
        }
        return new ServerHealth(config.name(), running, l != null, serving, stopped,
                l == null ? Optional.empty() : l.state());
    }

    /** Stops listening (closes the listener, a handed-over one too): no new sessions. Idempotent. */
    void stopAccepting() {
        Listener l;
        synchronized (sessions) {
            stopping = true;
            l = listener;
        }
        if (l != null) {
            l.close();
        }
    }

    /** Drains and closes every session, in parallel, holding no thread; a future per session, done at the latest at {@code deadline}. */
    List<CompletableFuture<Void>> drain(long deadline) {
        List<ServedSession> toClose;
        List<Transport> notServed;
        synchronized (sessions) {
            toClose = new ArrayList<>(sessions);
            notServed = new ArrayList<>(unidentified);
            unidentified.clear();
        }
        notServed.forEach(Transport::close); // nothing of theirs was served: nothing to drain
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ServedSession session : toClose) {
            done.add(session.drain(deadline));
        }
        return done;
    }
}
