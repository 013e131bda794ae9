package io.libchan.cdi.internal;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.Receiver;
import io.libchan.Transport;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
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
 * on an idle session) and routes it to an endpoint by name ({@link Endpoints#route}), passing
 * channels no endpoint takes to {@code unclaimed}, which must not block. When the session ends,
 * {@code onEnd} learns, on the task executor, whether it was lost. Thread-safe; {@code channels}
 * and {@code draining} change together under the {@code channels} lock.
 */
final class ServedSession {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final Transport transport;
    private final String source;
    private final URI uri;
    private final Endpoints endpoints;
    private final Optional<String> defaultEndpoint;
    private final Optional<String> defaultEndpointKey;
    private final LibchanExecutors executors;
    private final BiConsumer<Receiver, String> unclaimed;
    private final Consumer<Boolean> onEnd;
    private final Set<String> peerRoles;
    /**
     * The session as the gateway and the directory see its peer: with the roles it was accepted with
     * too; one object for the session, as the gateway tracks its tunnels per session object.
     */
    private final Transport peer;
    private final Set<ChannelSubscriber> channels = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean draining;
    private volatile boolean started;
    private volatile CompletableFuture<Void> announced = CompletableFuture.completedFuture(null);
    /** libchan's own channels (gateway, directory), on a server's sessions; none on a client's. */
    private volatile Optional<LibchanChannels> own = Optional.empty();

    /**
     * @param source the server or channel name, for {@link io.libchan.cdi.ChannelCall}
     * @param unclaimed gets each channel no endpoint serves, with the reason
     * @param onEnd runs once when the session ended, with true if it was lost rather than closed
     */
    ServedSession(Transport transport, String source, URI uri, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, BiConsumer<Receiver, String> unclaimed, Consumer<Boolean> onEnd) {
        this(transport, source, uri, endpoints, defaultEndpoint, executors, unclaimed, onEnd, Set.of());
    }

    /**
     * As above, for a peer that holds {@code peerRoles} ({@link io.libchan.cdi.ChannelCall#isPeerInRole}),
     * besides those its transport says it holds ({@link Transport#isPeerInRole}).
     */
    ServedSession(Transport transport, String source, URI uri, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, BiConsumer<Receiver, String> unclaimed, Consumer<Boolean> onEnd,
                  Set<String> peerRoles) {
        this(transport, source, uri, endpoints, defaultEndpoint, executors, unclaimed, onEnd, peerRoles, Optional.empty());
    }

    /**
     * As above, naming {@code defaultEndpointKey} (the configuration key that sets the default endpoint)
     * in the error reply to an unnamed channel when there is no default endpoint.
     */
    ServedSession(Transport transport, String source, URI uri, Endpoints endpoints, Optional<String> defaultEndpoint,
                  LibchanExecutors executors, BiConsumer<Receiver, String> unclaimed, Consumer<Boolean> onEnd,
                  Set<String> peerRoles, Optional<String> defaultEndpointKey) {
        this.peerRoles = Set.copyOf(peerRoles);
        this.peer = peerRoles.isEmpty() ? transport : new PeerRolesTransport(transport, peerRoles);
        this.defaultEndpointKey = defaultEndpointKey;
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

    /** Serves libchan's own channels ({@link LibchanChannels}) too; call before {@link #start}. */
    ServedSession offering(LibchanChannels channels) {
        own = Optional.of(channels);
        return this;
    }


    /** Completes when the end of the session has been reported to {@code onEnd}. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** Starts taking the channels the peer opens; never blocks. */
    void start() {
        start(CompletableFuture.completedFuture(null));
    }

    /**
     * As {@link #start()}, reporting the session's end only once {@code announced} completed (the
     * opening was announced on another thread, and the end must not overtake it).
     */
    void start(CompletableFuture<Void> announced) {
        start(announced, Optional.empty());
    }

    /** As {@link #start(CompletableFuture)}, routing {@code first}, a channel already taken from the session, before the others. */
    void start(CompletableFuture<Void> announced, Optional<Receiver> first) {
        this.announced = announced;
        started = true;
        first.ifPresent(this::routeSafely);
        next();
    }

    /**
     * Takes the channels the peer has opened and routes each at once, then leaves a request for the
     * next one. Routing never blocks (it subscribes, or hands the channel over), so it runs on the
     * thread that completes the request, an I/O thread included: a channel is in the hands of its
     * subscriber as soon as it arrives, which a drain at shutdown relies on, however busy the
     * executor is. The end of the session fires observers, so it is reported on the executor.
     * Channels already waiting are taken in this loop rather than by recursion, so a peer opening
     * thousands at once cannot exhaust the stack.
     */
    private void next() {
        while (true) {
            CompletableFuture<Receiver> channel;
            try {
                channel = transport.receiveChannelAsync();
            } catch (RuntimeException e) {
                announced.whenComplete((none, ignored) -> executors.execute(() -> end(e)));
                return;
            }
            if (channel.isDone() && !channel.isCompletedExceptionally()) {
                routeSafely(channel.join());
                continue;
            }
            channel.whenComplete((received, error) -> {
                if (error != null) {
                    Throwable why = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    announced.whenComplete((none, ignored) -> executors.execute(() -> end(why)));
                } else {
                    routeSafely(received);
                    next();
                }
            });
            return;
        }
    }

    private void routeSafely(Receiver channel) {
        try {
            route(channel);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> UserMessages.routingFailed(source, e), e);
            channel.close();
        }
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

    /** Hands {@code channel} to its endpoint's subscriber, or to {@code unclaimed}; never blocks. */
    private void route(Receiver channel) {
        Optional<String> name = channel.channelName().filter(n -> !n.isEmpty());
        Optional<LibchanChannels> libchan = own;
        if (name.isPresent() && libchan.isPresent() && libchan.get().serves(name.get())) {
            if (draining) {
                channel.close();
            } else {
                libchan.get().serve(channel, name.get(), peer, endpoints.names());
            }
            return;
        }
        Optional<EndpointDispatcher> endpoint = endpoints.route(name, defaultEndpoint);
        if (endpoint.isEmpty()) {
            if (draining) {
                channel.close();
                return;
            }
            unclaimed.accept(channel, name.map(n -> UserMessages.unknownEndpoint(n, source))
                    .orElseGet(() -> UserMessages.noDefaultEndpoint(source, defaultEndpointKey)));
            return;
        }
        CallInfo call = new CallInfo(endpoint.get().name(), name, source, uri, transport.peerPrincipal(),
                role -> peerRoles.contains(role) || transport.isPeerInRole(role), channel.traceContext());
        ChannelSubscriber[] self = new ChannelSubscriber[1];
        self[0] = new ChannelSubscriber(channel, endpoint.get(), call, () -> channels.remove(self[0]));
        synchronized (channels) { // a drain that began sees this channel, or this sees the drain
            if (draining) {
                channel.close();
                return;
            }
            channels.add(self[0]);
        }
        self[0].start(executors.tasks());
    }

    /**
     * Shutdown: stops routing new channels, drains every served channel (see
     * {@link ChannelSubscriber#drain}) and then closes the session gracefully, holding no thread
     * while it waits. The future completes once the end was reported (if it was started) or at
     * {@code deadline} ({@link System#nanoTime()}), whichever comes first; it never fails.
     */
    CompletableFuture<Void> drain(long deadline) {
        ChannelSubscriber[] served;
        synchronized (channels) {
            draining = true;
            served = channels.toArray(new ChannelSubscriber[0]);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.Future<?> timeout = executors.schedule(() -> done.complete(null),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        done.whenComplete((none, error) -> timeout.cancel(false));
        CompletableFuture<?>[] drained = java.util.Arrays.stream(served).map(c -> c.drain(deadline, executors))
                .toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(drained).thenRun(() -> executors.execute(() -> {
            transport.close(); // returns once the goodbye is sent
            if (started) {
                ended.thenRun(() -> done.complete(null));
            } else {
                done.complete(null);
            }
        }));
        return done;
    }

    /** As {@link #drain}, waiting for it on this thread. */
    void drainAndClose(long deadline) throws InterruptedException {
        try {
            drain(deadline).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // reported by the caller's overall deadline
        }
    }
}
