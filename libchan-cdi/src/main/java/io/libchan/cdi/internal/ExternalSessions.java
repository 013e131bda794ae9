package io.libchan.cdi.internal;

import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.cdi.ChannelServers;
import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ChannelServers}: sessions accepted by someone else (an HTTP endpoint) served like a
 * {@link ChannelServer}'s, each by a {@link ServedSession} over the endpoints its route exposes;
 * listeners the application opened handed to a {@link ChannelServer} of the registry; the bound
 * URIs of the servers. Lifecycle as a server's without the listener: {@link #stopAccepting()} then
 * {@link #drain} at shutdown. Thread-safe; {@code sessions} and {@code stopping} are guarded by
 * {@code sessions}.
 */
final class ExternalSessions implements ChannelServers {
    private final Endpoints endpoints;
    private final SortedSet<String> roles;
    private final LibchanExecutors executors;
    private final SessionEvents events;
    private final ChannelRejector rejector;
    private final ChannelServerRegistry servers;
    private final LibchanChannels own;
    private final Set<ServedSession> sessions = new HashSet<>();
    private boolean stopping;

    /** @param own the gateway and the directory, as the routes' sessions get them */
    ExternalSessions(Endpoints endpoints, SortedSet<String> roles, LibchanExecutors executors, SessionEvents events,
                     ChannelServerRegistry servers, LibchanChannels own) {
        this.own = own;
        this.servers = servers;
        this.endpoints = endpoints;
        this.roles = roles;
        this.executors = executors;
        this.events = events;
        this.rejector = new ChannelRejector(executors);
    }

    @Override
    public SortedSet<String> endpoints() {
        return new TreeSet<>(endpoints.names());
    }

    @Override
    public SortedSet<String> roles() {
        return new TreeSet<>(roles);
    }

    @Override
    public CompletionStage<Void> serve(Transport session, Route route) {
        Set<String> unknown = new TreeSet<>(route.endpoints());
        unknown.removeAll(endpoints.names());
        if (!unknown.isEmpty()) {
            session.close();
            throw new IllegalArgumentException(UserMessages.routeNamesUnknownEndpoints(unknown, endpoints.names()));
        }
        ServedSession[] self = new ServedSession[1];
        self[0] = new ServedSession(session, route.source(), route.uri(), endpoints.only(route.endpoints()),
                route.defaultEndpoint(), executors, rejector::reject, lost -> {
                    synchronized (sessions) {
                        sessions.remove(self[0]);
                    }
                    events.closed(new SessionClosed(route.source(), route.uri(), SessionRole.SERVER, lost));
                }, route.peerRoles(), route.defaultEndpointKey()).offering(own);
        synchronized (sessions) {
            if (stopping) {
                session.close();
                throw new IllegalStateException(UserMessages.shuttingDown());
            }
            sessions.add(self[0]);
        }
        events.opened(new SessionOpened(route.source(), route.uri(), SessionRole.SERVER, session.peerPrincipal()));
        self[0].start();
        return self[0].ended().copy();
    }

    @Override
    public void serve(String name, Listener listener) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(listener, "listener");
        synchronized (sessions) {
            if (stopping) {
                listener.close();
                throw new IllegalStateException(UserMessages.shuttingDown());
            }
            servers.namedOrNew(name).handOver(listener);
        }
    }

    @Override
    public URI uri(String serverName) {
        return servers.named(serverName)
                .orElseThrow(() -> new IllegalArgumentException(UserMessages.noSuchServer(serverName, servers.names())))
                .uri();
    }

    /** No new sessions, and no new server, from now on. Idempotent. */
    void stopAccepting() {
        synchronized (sessions) {
            stopping = true;
        }
    }

    /** Drains and closes every session, in parallel; see {@link ChannelServer#drain}. */
    List<CompletableFuture<Void>> drain(long deadline) {
        List<ServedSession> toClose;
        synchronized (sessions) {
            toClose = new ArrayList<>(sessions);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ServedSession session : toClose) {
            done.add(session.drain(deadline));
        }
        return done;
    }
}
