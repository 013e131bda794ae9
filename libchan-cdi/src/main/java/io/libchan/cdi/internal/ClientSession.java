package io.libchan.cdi.internal;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * The session of one remote {@code @Channel}, kept up for as long as the application runs.
 *
 * <p><b>States.</b> <em>Idle</em> (never connected, or closed by the application): the next use
 * connects on the calling thread. <em>Connected</em>: uses go to the open {@link Transport}; the
 * channels the peer opens on it are served like a server's ({@link ServedSession}), by name only.
 * <em>Down</em> (the session was lost or closed by the peer, or connecting failed): every use
 * fails at once with {@link ConnectionLostException} while a reconnect runs in the background
 * with {@link Backoff}; the old session is aborted, so its nested channels fail with
 * connection-lost too. A session the peer closed cleanly before we opened any channel on it (a
 * server's first-stream-timeout ends idle sessions) goes back to idle instead. <em>Shut down</em>: uses fail with {@link ChannelClosedException}.
 *
 * <p>Thread-safe. Fields below {@code lock} are guarded by it; connecting on first use holds it
 * (concurrent first uses wait for the one connection), background reconnects do not.
 */
final class ClientSession {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");
    /** Channels the peer opened that no endpoint serves, waiting for the injected Transport. */
    static final int UNCLAIMED_CAPACITY = 16;

    /** A top-level channel and the session it belongs to. */
    record OpenChannel(Transport transport, Sender sender) {
    }

    private final ChannelConfig config;
    private final Endpoints endpoints;
    private final LibchanExecutors executors;
    private final SessionEvents events;
    private final ChannelRejector rejector;
    private final Optional<Pipe> unclaimed;
    private final Backoff backoff;

    private final Object lock = new Object();
    private Transport transport;
    private ServedSession served;
    private OpenChannel channel;
    /** We opened a top-level channel on the current session. */
    private boolean channelOpened;
    private Future<?> reconnect;
    private int failures;
    private LibchanException lastFailure;
    private boolean closed;

    /** @param keepUnclaimed keep channels the peer opens that no endpoint serves, for {@link #waitReceiveChannel} */
    ClientSession(ChannelConfig config, Endpoints endpoints, LibchanExecutors executors, SessionEvents events,
                  boolean keepUnclaimed) {
        this.config = config;
        this.endpoints = endpoints;
        this.executors = executors;
        this.events = events;
        this.rejector = new ChannelRejector(executors);
        this.unclaimed = keepUnclaimed ? Optional.of(Pipe.buffered(UNCLAIMED_CAPACITY)) : Optional.empty();
        this.backoff = new Backoff(config.reconnectDelay(), config.reconnectMaxDelay());
    }

    String name() {
        return config.name();
    }

    /** {@code connect=startup}: connects now; a failure is logged and retried in the background. */
    void start() {
        if (!config.startup()) {
            return;
        }
        try {
            transport();
        } catch (LibchanException e) {
            LOG.log(Level.INFO, () -> UserMessages.startupConnectFailed(config.name(), config.uri(), e));
        }
    }

    /**
     * The open session, connecting first when idle.
     *
     * @throws ConnectionLostException at once while the session is down
     * @throws ChannelClosedException after shutdown
     */
    Transport transport() {
        Transport lost = null;
        Transport fresh = null;
        Transport current;
        ConnectionLostException down = null;
        synchronized (lock) {
            if (closed) {
                throw new ChannelClosedException(UserMessages.channelShutDown(config.name()));
            }
            if (transport != null && !transport.isOpen()) {
                lost = transport;
                dropLocked();
                scheduleReconnectLocked();
            } else if (transport == null && reconnect == null) {
                fresh = connectLocked();
            }
            current = transport;
            if (current == null) {
                down = new ConnectionLostException(UserMessages.notConnected(config.name(), config.uri()), lastFailure);
            }
        }
        if (lost != null) {
            lost.abort();
        }
        if (fresh != null) {
            announce(fresh);
        }
        if (down != null) {
            throw down;
        }
        return current;
    }

    private Transport connectLocked() {
        try {
            Transport t = Libchan.connect(config.uri(), executors.forSessions(config.settings()));
            adoptLocked(t);
            return t;
        } catch (RuntimeException e) {
            failedLocked(e);
            return null;
        }
    }

    private void adoptLocked(Transport t) {
        transport = t;
        channelOpened = false;
        served = new ServedSession(t, config.name(), config.uri(), endpoints, Optional.empty(), executors,
                this::unclaimed, lost -> ended(t, lost));
        failures = 0;
        lastFailure = null;
    }

    private void failedLocked(RuntimeException e) {
        failures++;
        lastFailure = e instanceof LibchanException le ? le
                : new ConnectionLostException(UserMessages.connectFailed(config.uri(), e), e);
        scheduleReconnectLocked();
    }

    private void announce(Transport t) {
        ServedSession s;
        synchronized (lock) {
            s = transport == t ? served : null;
        }
        events.opened(new SessionOpened(config.name(), config.uri(), SessionRole.CLIENT, t.peerPrincipal()));
        if (s != null) {
            s.start();
        } else {
            events.closed(new SessionClosed(config.name(), config.uri(), SessionRole.CLIENT, false));
        }
    }

    private void scheduleReconnectLocked() {
        if (closed || reconnect != null) {
            return;
        }
        Duration delay = backoff.delay(Math.max(failures, 1));
        reconnect = executors.schedule(() -> executors.execute(this::reconnect), delay);
    }

    private void reconnect() {
        synchronized (lock) {
            if (closed || transport != null) {
                reconnect = null;
                return;
            }
        }
        Transport t;
        try {
            t = Libchan.connect(config.uri(), executors.forSessions(config.settings()));
        } catch (RuntimeException e) {
            synchronized (lock) {
                reconnect = null;
                failedLocked(e);
            }
            LOG.log(Level.DEBUG, () -> UserMessages.reconnectFailed(config.name(), config.uri(), e));
            return;
        }
        boolean keep;
        synchronized (lock) {
            reconnect = null;
            keep = !closed && transport == null;
            if (keep) {
                adoptLocked(t);
            }
        }
        if (keep) {
            LOG.log(Level.INFO, () -> UserMessages.reconnected(config.name(), config.uri()));
            announce(t);
        } else {
            t.close();
        }
    }

    /**
     * The session ended (its channel loop returned): if unexpectedly, end our side too (aborted when
     * it was lost, closed when the peer closed it) and reconnect.
     */
    private void ended(Transport t, boolean lost) {
        boolean unexpected;
        synchronized (lock) {
            unexpected = transport == t;
            if (unexpected) {
                // a server closes a session that opens no channel in time (its first-stream-timeout):
                // reconnecting at once would only be closed again; the next use connects instead
                boolean idle = !lost && !channelOpened;
                dropLocked();
                if (!idle) {
                    scheduleReconnectLocked();
                }
            }
        }
        if (unexpected) {
            if (lost) {
                t.abort();
            } else {
                t.close(); // the peer ended it cleanly: so does our side (its closeFuture completes, not fails)
            }
        }
        events.closed(new SessionClosed(config.name(), config.uri(), SessionRole.CLIENT, lost));
    }

    /** Forgets the current session (guarded by lock); the caller closes or aborts it. */
    private void dropLocked() {
        transport = null;
        served = null;
        channel = null;
    }

    /** Marks {@code t} lost if it is still the current session: abort it, reconnect in the background. */
    private void lost(Transport t) {
        boolean current;
        synchronized (lock) {
            current = transport == t;
            if (current) {
                dropLocked();
                scheduleReconnectLocked();
            }
        }
        if (current) {
            t.abort();
        }
    }

    // ------------------------------------------------------------------ the injected Sender

    /** The injected Sender's current top-level channel, opened (to {@code remote-name}) when there is none. */
    OpenChannel channel() {
        Transport t = transport();
        synchronized (lock) {
            if (channel == null || channel.transport() != t) {
                if (transport != t) {
                    throw new ConnectionLostException(UserMessages.notConnected(config.name(), config.uri()), lastFailure);
                }
                channel = new OpenChannel(t, openChannel(t, config.remoteName()));
            }
            return channel;
        }
    }

    /** Opens a top-level channel on {@code t}; a session found dead is marked lost. */
    Sender openChannel(Transport t, Optional<String> name) {
        try {
            Sender opened = name.isPresent() ? t.newSendChannel(name.get()) : t.newSendChannel();
            synchronized (lock) {
                channelOpened |= transport == t;
            }
            return opened;
        } catch (LibchanException e) {
            if (!t.isOpen() || e instanceof ConnectionLostException) {
                lost(t);
                throw new ConnectionLostException(UserMessages.sessionLost(config.name(), config.uri()), e);
            }
            throw e;
        }
    }

    /**
     * What a failed send on {@code open} should throw: {@link ConnectionLostException} when the
     * session is gone (then marked lost); otherwise {@code error}, forgetting a channel the peer
     * closed so that the next send opens a new one.
     */
    LibchanException sendFailed(OpenChannel open, LibchanException error) {
        boolean sessionGone = error instanceof ConnectionLostException
                || (error instanceof ChannelClosedException && !open.transport().isOpen());
        if (sessionGone) {
            lost(open.transport());
            return error instanceof ConnectionLostException ? error
                    : new ConnectionLostException(UserMessages.sessionLost(config.name(), config.uri()), error);
        }
        if (error instanceof ChannelClosedException) {
            synchronized (lock) {
                if (channel == open) {
                    channel = null;
                }
            }
        }
        return error;
    }

    /** Ends the injected Sender's current channel (the peer sees end-of-channel); the next send opens a new one. */
    void endChannel() {
        OpenChannel open;
        synchronized (lock) {
            open = channel;
            channel = null;
        }
        if (open != null) {
            open.sender().close();
        }
    }

    // ------------------------------------------------------------------ the injected Transport

    boolean isConnected() {
        synchronized (lock) {
            return transport != null && transport.isOpen();
        }
    }

    /** The current session's {@link Transport#info()}, without connecting; {@link io.libchan.TransportInfo#unknown()} while there is none. */
    io.libchan.TransportInfo info() {
        Transport t;
        synchronized (lock) {
            t = transport;
        }
        return t == null ? io.libchan.TransportInfo.unknown() : t.info();
    }

    Optional<Principal> peerPrincipal() {
        Transport t;
        synchronized (lock) {
            t = transport;
        }
        return t == null ? Optional.empty() : t.peerPrincipal();
    }

    /**
     * The end of the current session, without connecting: done already when there is none (failed
     * with {@link ConnectionLostException} while down, normally when idle or shut down).
     */
    java.util.concurrent.CompletableFuture<Void> sessionEnd() {
        Transport t;
        boolean down;
        synchronized (lock) {
            t = transport;
            down = !closed && reconnect != null;
        }
        if (t != null) {
            return t.closeFuture();
        }
        return down ? java.util.concurrent.CompletableFuture.failedFuture(
                new ConnectionLostException(UserMessages.notConnected(config.name(), config.uri()), lastFailure))
                : java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The next channel the peer opened that no endpoint serves, on this or a later session. */
    Receiver waitReceiveChannel(Optional<Duration> timeout) {
        Receiver queue = unclaimed.orElseThrow(
                () -> new IllegalStateException(UserMessages.noTransportInjected(config.name()))).receiver();
        try {
            return timeout.isPresent() ? queue.receive(Receiver.class, timeout.get()) : queue.receive(Receiver.class);
        } catch (EndOfChannelException e) {
            throw new ChannelClosedException(UserMessages.channelShutDown(config.name()));
        }
    }

    /** As {@link #waitReceiveChannel}, without blocking. */
    java.util.concurrent.CompletableFuture<Receiver> receiveChannelAsync() {
        Receiver queue = unclaimed.orElseThrow(
                () -> new IllegalStateException(UserMessages.noTransportInjected(config.name()))).receiver();
        java.util.concurrent.CompletableFuture<Receiver> next = queue.receiveAsync(Receiver.class);
        java.util.concurrent.CompletableFuture<Receiver> result = new java.util.concurrent.CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return next.cancel(mayInterruptIfRunning) && super.cancel(mayInterruptIfRunning);
            }
        };
        next.whenComplete((channel, error) -> {
            if (error == null) {
                result.complete(channel);
            } else if (error instanceof EndOfChannelException) {
                result.completeExceptionally(new ChannelClosedException(UserMessages.channelShutDown(config.name())));
            } else if (!(error instanceof java.util.concurrent.CancellationException)) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    private void unclaimed(Receiver channel, String reason) {
        if (unclaimed.isPresent()) {
            try {
                unclaimed.get().sender().send(channel, Duration.ZERO);
                return;
            } catch (LibchanException e) {
                // full or shut down: turn it away
            }
        }
        rejector.reject(channel, reason);
    }

    /** Ends the current session gracefully (or violently); the next use connects again. */
    void endSession(boolean abort) {
        Transport t;
        synchronized (lock) {
            t = transport;
            dropLocked();
        }
        if (t != null) {
            if (abort) {
                t.abort();
            } else {
                t.close();
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

    /** Shutdown: stops reconnecting, ends the Sender's channel, drains served channels, closes the session. */
    void close(long deadline) throws InterruptedException {
        ServedSession s;
        OpenChannel open;
        Future<?> pending;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = served;
            open = channel;
            pending = reconnect;
            reconnect = null;
            dropLocked();
        }
        if (pending != null) {
            pending.cancel(false);
        }
        if (open != null) {
            open.sender().close();
        }
        unclaimed.ifPresent(ClientSession::closeWaiting);
        if (s != null) {
            s.drainAndClose(deadline);
        }
    }

    private static void closeWaiting(Pipe queue) {
        queue.sender().close();
        try {
            while (true) {
                queue.receiver().receive(Receiver.class, Duration.ZERO).close();
            }
        } catch (LibchanException e) {
            // empty
        }
    }
}
