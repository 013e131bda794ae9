package io.libchan.cdi.internal;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.Receiver;
import io.libchan.Transport;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One session whose peer-opened top-level channels this application serves: once {@link #start()}ed
 * it takes each channel the peer opens ({@link Transport#receiveChannelAsync()}, so no thread waits
 * on an idle session) and routes it, on the task executor, to an endpoint by name
 * ({@link Endpoints#route}), passing channels no endpoint takes to {@code unclaimed}. When the
 * session ends, {@code onEnd} learns, on the task executor, whether it was lost. Thread-safe.
 */
final class ServedSession {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final Transport transport;
    private final String source;
    private final URI uri;
    private final Endpoints endpoints;
    private final Optional<String> defaultEndpoint;
    private final LibchanExecutors executors;
    private final BiConsumer<Receiver, String> unclaimed;
    private final Consumer<Boolean> onEnd;
    private final Set<String> peerRoles;
    private final Set<ChannelSubscriber> channels = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean draining;
    private volatile boolean started;

    /**
     * @param source the server or channel name, for {@link io.libchan.cdi.ChannelCall}
     * @param unclaimed gets each channel no endpoint serves, with the reason
     * @param onEnd runs once when the session ended, with true if it was lost rather than closed
     */
    ServedSession(Transport transport, String source, URI uri, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, BiConsumer<Receiver, String> unclaimed, Consumer<Boolean> onEnd) {
        this(transport, source, uri, endpoints, defaultEndpoint, executors, unclaimed, onEnd, Set.of());
    }

    /** As above, for a peer that holds {@code peerRoles} ({@link io.libchan.cdi.ChannelCall#isPeerInRole}). */
    ServedSession(Transport transport, String source, URI uri, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, BiConsumer<Receiver, String> unclaimed, Consumer<Boolean> onEnd,
                  Set<String> peerRoles) {
        this.peerRoles = Set.copyOf(peerRoles);
        this.transport = transport;
        this.source = source;
        this.uri = uri;
        this.endpoints = endpoints;
        this.defaultEndpoint = defaultEndpoint;
        this.executors = executors;
        this.unclaimed = unclaimed;
        this.onEnd = onEnd;
    }

    Transport transport() {
        return transport;
    }

    /** Completes when the end of the session has been reported to {@code onEnd}. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** Starts taking the channels the peer opens; never blocks. */
    void start() {
        started = true;
        next();
    }

    private void next() {
        CompletableFuture<Receiver> channel;
        try {
            channel = transport.receiveChannelAsync();
        } catch (RuntimeException e) {
            executors.execute(() -> end(e));
            return;
        }
        // the callback may run on the connection's I/O thread: routing and the end go to the executor
        channel.whenComplete((received, error) -> executors.execute(() -> {
            if (error != null) {
                end(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            try {
                route(received);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> UserMessages.routingFailed(source, e), e);
                received.close();
            }
            next();
        }));
    }

    /** Reports the end of the session, which ended with {@code why}. */
    private void end(Throwable why) {
        boolean lost = !(why instanceof ChannelClosedException);
        if (lost && !(why instanceof ConnectionLostException)) {
            LOG.log(Level.DEBUG, () -> UserMessages.sessionFailed(source, uri, why));
        }
        try {
            onEnd.accept(lost);
        } finally {
            ended.complete(null);
        }
    }

    private void route(Receiver channel) {
        Optional<String> name = channel.channelName().filter(n -> !n.isEmpty());
        if (draining) {
            channel.close();
            return;
        }
        Optional<EndpointDispatcher> endpoint = endpoints.route(name, defaultEndpoint);
        if (endpoint.isEmpty()) {
            unclaimed.accept(channel, name.map(n -> UserMessages.unknownEndpoint(n, source))
                    .orElseGet(() -> UserMessages.noDefaultEndpoint(source)));
            return;
        }
        CallInfo call = new CallInfo(endpoint.get().name(), name, source, uri, transport.peerPrincipal(), peerRoles);
        ChannelSubscriber[] self = new ChannelSubscriber[1];
        self[0] = new ChannelSubscriber(channel, endpoint.get(), call, () -> channels.remove(self[0]));
        channels.add(self[0]);
        self[0].start(executors.tasks());
    }

    /**
     * Shutdown: stops routing new channels, drains every served channel (see
     * {@link ChannelSubscriber#drain}), closes the session gracefully, and waits (until
     * {@code deadline}) for the end to have been reported, if it was started.
     */
    void drainAndClose(long deadline) throws InterruptedException {
        draining = true;
        for (ChannelSubscriber channel : channels.toArray(new ChannelSubscriber[0])) {
            channel.drain(deadline);
        }
        transport.close();
        if (started) {
            try {
                ended.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // reported by the caller's overall deadline
            }
        }
    }
}
