package io.libchan.example.bridge;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the sessions of a {@link Listener} that libchan-cdi did not open (the
 * {@code LibchanEndpoint} that libchan-undertow mounts in a WAR, or beside a web page on an embedded
 * server) with the application's {@code @ChannelEndpoint}s: every session it accepts is relayed
 * into an in-memory session to a libchan-cdi server listening on {@code inmem:<name>}
 * ({@code libchan.server.<name>.listen=inmem:<name>}), so routing by channel name, default
 * endpoints, concurrency limits and the graceful drain at shutdown are libchan-cdi's.
 *
 * <p>What is relayed: each top-level channel the peer opens becomes a channel of the same name on the
 * in-memory session, and its messages are moved over as they are (in memory nothing is copied or
 * encoded: a nested reply channel in a message is still the peer's, and answers go straight back
 * on the peer's session). Not relayed: channels the application would open towards the peer (the
 * example's endpoints never do), and the peer's principal ({@code ChannelCall.peerPrincipal()} is
 * empty). A session that ends on either side ends the other: a peer that went away closes (or,
 * when its session was lost, aborts) the in-memory session, which libchan-cdi reports as
 * {@code SessionClosed}; libchan-cdi closing its side at shutdown closes the peer's session.
 *
 * <p>A stopgap: libchan-cdi has no way yet to serve a {@code Listener} it is handed. Threads: one
 * per bridge accepting sessions and one per session waiting for the peer's channels, from the
 * {@code ThreadFactory} given; moving messages is asynchronous, on the {@code Executor} given, one
 * short task per message. Thread-safe.
 */
public final class SessionBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionBridge.class.getName());

    private final Listener outer;
    private final URI inner;
    private final ThreadFactory threads;
    private final Executor executor;
    private final Set<Transport> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SessionBridge(Listener outer, URI inner, ThreadFactory threads, Executor executor) {
        this.outer = outer;
        this.inner = inner;
        this.threads = threads;
        this.executor = executor;
    }

    /**
     * Starts relaying the sessions {@code outer} accepts to the in-memory listener {@code inner}
     * (e.g. {@code inmem://web}). The listener stays the caller's: {@link #close()} does not close it.
     */
    public static SessionBridge start(Listener outer, URI inner, ThreadFactory threads, Executor executor) {
        SessionBridge bridge = new SessionBridge(outer, inner, threads, executor);
        threads.newThread(bridge::acceptLoop).start();
        return bridge;
    }

    private void acceptLoop() {
        while (!closed) {
            Transport peer;
            try {
                peer = outer.accept();
            } catch (ChannelClosedException e) {
                return; // the listener was closed
            } catch (LibchanException | IllegalStateException e) {
                LOG.log(Level.WARNING, "bridge to " + inner + " stops accepting: " + e.getMessage(), e);
                return;
            }
            relay(peer);
        }
    }

    private void relay(Transport peer) {
        Transport app;
        try {
            app = Libchan.connect(inner, Settings.defaults());
        } catch (LibchanException e) {
            LOG.warning(() -> "no libchan-cdi server on " + inner + " for a session: " + e.getMessage());
            peer.abort();
            return;
        }
        sessions.add(peer);
        peer.closeFuture().whenComplete((ok, lost) -> sessions.remove(peer));
        if (closed) {
            peer.close();
        }
        Set<Receiver> relayed = ConcurrentHashMap.newKeySet();
        app.closeFuture().whenComplete((ok, lost) -> {
            // libchan-cdi closed its side (shutdown): refuse the peer's channels, as it does on its own sessions
            LOG.fine(() -> "application side of a bridged session ended: closing " + relayed.size() + " channel(s) and the session");
            relayed.forEach(Receiver::close);
            peer.close();
        });
        threads.newThread(() -> relayChannels(peer, app, relayed)).start();
    }

    /** Waits for each channel the peer opens and relays it; at the session's end, ends the in-memory one. */
    private void relayChannels(Transport peer, Transport app, Set<Receiver> relayed) {
        boolean lost = false;
        try {
            while (true) {
                Receiver channel = peer.waitReceiveChannel();
                Sender to;
                try {
                    to = app.newSendChannel(channel.channelName().orElse(null));
                } catch (LibchanException e) {
                    channel.close();
                    continue;
                }
                relayed.add(channel);
                forward(channel, to, relayed);
            }
        } catch (ChannelClosedException e) {
            lost = false;
        } catch (LibchanException e) {
            lost = true;
        } finally {
            if (lost) {
                app.abort();
            } else {
                app.close();
            }
        }
    }

    /** Moves the next message, then the one after, without parking a thread; ends {@code to} with {@code from}. */
    private void forward(Receiver from, Sender to, Set<Receiver> relayed) {
        from.receiveAsync(Object.class)
                .thenCompose(to::sendAsync)
                .whenCompleteAsync((sent, failure) -> {
                    if (failure == null) {
                        forward(from, to, relayed);
                        return;
                    }
                    relayed.remove(from);
                    Throwable why = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (!(why instanceof EndOfChannelException)) {
                        LOG.log(Level.FINE, "relaying a channel stopped", why);
                        from.close();
                    }
                    to.close();
                }, executor);
    }

    /**
     * Closes the sessions it relays (gracefully) and waits, at most {@code timeout}, until they have
     * ended, so the server under them can stop with nothing in flight. Sessions accepted later are
     * closed at once; the listener stays open (close it first to accept none). Idempotent.
     *
     * @return true if every session ended in time
     */
    public boolean close(Duration timeout) {
        closed = true;
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (Transport session : sessions) {
            session.close();
            ends.add(session.closeFuture().exceptionally(lost -> null));
        }
        try {
            CompletableFuture.allOf(ends.toArray(new CompletableFuture<?>[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** {@link #close(Duration)} with 10 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
