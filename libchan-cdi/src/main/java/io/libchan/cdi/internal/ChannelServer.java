package io.libchan.cdi.internal;

import io.libchan.ChannelClosedException;
import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code libchan.server.<name>}: a {@link Listener} whose accepted sessions are each served by
 * a {@link ServedSession}. Lifecycle: {@link #bind()} at deployment (a failure fails deployment),
 * {@link #start()} once the application is up, {@link #stopAccepting()} then {@link #drain} at
 * shutdown. Thread-safe; {@code sessions} and {@code stopping} are guarded by {@code sessions}.
 */
final class ChannelServer {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final ServerConfig config;
    private final Endpoints endpoints;
    private final Optional<String> defaultEndpoint;
    private final LibchanExecutors executors;
    private final SessionEvents events;
    private final ChannelRejector rejector;
    private final Set<ServedSession> sessions = new HashSet<>();
    private boolean stopping;
    private volatile Listener listener;

    ChannelServer(ServerConfig config, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, SessionEvents events) {
        this.config = config;
        this.endpoints = endpoints;
        this.defaultEndpoint = defaultEndpoint;
        this.executors = executors;
        this.events = events;
        this.rejector = new ChannelRejector(executors);
    }

    String name() {
        return config.name();
    }

    /** Starts listening. @throws RuntimeException when the URI cannot be listened on */
    void bind() {
        listener = Libchan.listen(config.listen(), executors.forSessions(config.settings()));
    }

    /** Starts accepting sessions. */
    void start() {
        executors.startLoop("server " + config.name(), this::acceptLoop);
    }

    private void acceptLoop() {
        Listener l = listener;
        while (true) {
            Transport session;
            try {
                session = l.accept();
            } catch (ChannelClosedException e) {
                return;
            } catch (LibchanException | IllegalStateException e) {
                LOG.log(Level.WARNING, () -> UserMessages.acceptFailed(config.name(), e), e);
                return;
            }
            serve(session);
        }
    }

    private void serve(Transport transport) {
        URI uri = listener.uri();
        ServedSession[] self = new ServedSession[1];
        self[0] = new ServedSession(transport, config.name(), uri, endpoints, defaultEndpoint, executors,
                rejector::reject, lost -> {
                    synchronized (sessions) {
                        sessions.remove(self[0]);
                    }
                    events.closed(new SessionClosed(config.name(), uri, SessionRole.SERVER, lost));
                });
        synchronized (sessions) {
            if (stopping) {
                transport.close();
                return;
            }
            sessions.add(self[0]);
        }
        events.opened(new SessionOpened(config.name(), uri, SessionRole.SERVER, transport.peerPrincipal()));
        self[0].start("session of server " + config.name());
    }

    /** Stops listening: no new sessions. Idempotent. */
    void stopAccepting() {
        synchronized (sessions) {
            stopping = true;
        }
        Listener l = listener;
        if (l != null) {
            l.close();
        }
    }

    /** Drains and closes every session, in parallel; returns when done or at {@code deadline}. */
    List<CompletableFuture<Void>> drain(long deadline) {
        List<ServedSession> toClose;
        synchronized (sessions) {
            toClose = new ArrayList<>(sessions);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ServedSession session : toClose) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            executors.startLoop("drain of server " + config.name(), () -> {
                try {
                    session.drainAndClose(deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    f.complete(null);
                }
            });
            done.add(f);
        }
        return done;
    }
}
