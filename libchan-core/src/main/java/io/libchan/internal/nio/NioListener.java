package io.libchan.internal.nio;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Listener;
import io.libchan.ListenerState;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.session.InboundBudget;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.System.Logger.Level;

/**
 * A {@link Listener} whose server socket an {@link IoLoop} accepts on; each accepted connection
 * goes to a loop of the group ({@link NioWire}), where its handshake runs and its session starts.
 * Sessions wait in a queue for {@link #accept()}. No thread is parked per connection, nor for
 * accepting.
 *
 * <p>What a hostile Internet cannot do to it: past {@link Settings#maxConnections()} a new
 * connection gets a GOAWAY (plain sockets) and is closed at once; a failed accept (out of file
 * descriptors) pauses accepting for a while, growing from 10 ms to a second, instead of spinning;
 * both are logged at most once a second. The sessions share one memory budget
 * ({@link Settings#maxBufferedBytes()}, {@link InboundBudget}): past it, they pause reading. A handshake that does not finish within the connect
 * timeout is dropped, and a session in which no channel opens within
 * {@link Settings#firstStreamTimeout()} is closed. Nothing a connection does stops the accepting.
 *
 * <p>Thread-safe.
 */
public final class NioListener implements Listener {
    private static final System.Logger LOG = System.getLogger(NioListener.class.getName());
    /**
     * What logging needs from files is read now: java.util.logging opens its handlers at the first
     * record it publishes, and formats the record's time with the time-zone data, a file. A listener
     * out of file descriptors logging its first record would fail there, and a time-zone class that
     * fails to initialise stays broken for the whole JVM.
     */
    private static final Object LOGGING_READY = prepareLogging();

    private static Object prepareLogging() {
        // System.Logger writes through java.util.logging unless a container brings its own LoggerFinder
        java.util.logging.Logger.getLogger("").getHandlers();
        return java.time.ZoneId.systemDefault();
    }
    /** Connections taken per readiness event before the loop serves its other channels. */
    private static final int ACCEPTS_PER_EVENT = 64;
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(1);
    /** GOAWAY (SPDY/3, type 7), last-good-stream 0, status OK: no stream of the peer's was taken. */
    private static final byte[] GOAWAY_NONE_TAKEN = {(byte) 0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};

    /** What a listener knows about its kind of connection (TCP, TLS, unix). */
    public interface Connections {
        /** Sets the accepted socket's options and wraps it (TLS: a server-side engine). */
        ChannelIo open(SocketChannel accepted) throws IOException;

        /** True when a GOAWAY may be written in clear to a refused connection (not over TLS). */
        boolean refusalSpeaksSpdy();

        /** True when platform threads waiting for a message may read the connection ({@link ReadRole}). */
        boolean waitingThreadsRead();

        /** For logs and the session's description, e.g. {@code tcp://127.0.0.1:40312}. */
        String describePeer(SocketChannel accepted);
    }

    private final ServerSocketChannel server;
    private final URI uri;
    private final Settings settings;
    private final Connections kind;
    private final IoLoopGroup.Kind loops;
    private final IoLoop acceptLoop;
    private final ChannelQueue sessions = new ChannelQueue(0);
    private final AtomicInteger open = new AtomicInteger();
    /** The sessions started and not ended yet, for {@link #state()}. */
    private final java.util.Set<SpdySession> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** What every session of this listener received and the application has not taken, together. */
    private final InboundBudget budget;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Level.WARNING);
    private final RateLimitedLog acceptFailures = new RateLimitedLog(LOG, Level.WARNING);
    private volatile SelectionKey key;
    private volatile boolean closed;
    private long backoff; // accept loop only

    /**
     * Starts accepting on {@code server}, which is bound; its loop is one of {@code group}'s.
     *
     * @throws IOException when the socket cannot be registered
     */
    public NioListener(ServerSocketChannel server, URI uri, Settings settings, IoLoopGroup.Kind loops, Connections kind)
            throws IOException {
        this.server = server;
        this.uri = uri;
        this.settings = settings;
        this.kind = kind;
        this.loops = loops;
        LOGGING_READY.hashCode();
        this.acceptLoop = IoLoopGroup.lease(loops);
        this.budget = SpdySession.budgetOfItsOwn(settings);
        server.configureBlocking(false);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        acceptLoop.execute(() -> {
            try {
                key = acceptLoop.register(server, SelectionKey.OP_ACCEPT, new Acceptor());
                registered.complete(null);
            } catch (Throwable e) {
                registered.completeExceptionally(e);
            }
        });
        try {
            await(registered, acceptLoop, "register the listening socket");
        } catch (IOException e) {
            acceptLoop.release();
            throw e;
        }
    }

    private static void await(CompletableFuture<Void> f, IoLoop loop, String what) throws IOException {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException("cannot " + what, e.getCause());
        } catch (TimeoutException e) {
            // names the loop and where its thread is: a loop that never comes back is a bug to find
            throw new IOException("the I/O thread did not " + what + " within 30 s; it is at " + loop.describeThread());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to " + what);
        }
    }

    /** The connections this listener holds now (accepted, not yet ended). */
    public int openConnections() {
        return open.get();
    }

    /** The bytes this listener's sessions received and the application has not taken yet. */
    public long bufferedBytes() {
        return budget.held();
    }

    private final class Acceptor implements IoLoop.Handler {
        @Override
        public void ready(int readyOps) {
            for (int i = 0; i < ACCEPTS_PER_EVENT && !closed; i++) {
                SocketChannel accepted;
                try {
                    accepted = server.accept();
                } catch (IOException e) {
                    backOff(e);
                    return;
                }
                if (accepted == null) {
                    backoff = 0;
                    return;
                }
                try {
                    accepted(accepted);
                } catch (Throwable e) {
                    // one connection's trouble (even an OutOfMemoryError) is that connection's alone
                    closeQuietly(accepted);
                    acceptFailures.log("a connection to " + uri + " could not be set up: " + e);
                }
            }
        }

        @Override
        public void failed(Throwable error) {
            acceptFailures.log("accepting on " + uri + " failed: " + error);
        }
    }

    /** Out of file descriptors (or another accept failure): stop listening for a while, do not spin. */
    private void backOff(IOException e) {
        backoff = backoff == 0 ? MIN_BACKOFF : Math.min(MAX_BACKOFF, 2 * backoff);
        long millis = TimeUnit.NANOSECONDS.toMillis(backoff);
        try {
            key.interestOps(0);
            acceptLoop.schedule(backoff, () -> {
                if (!closed && key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        } catch (RuntimeException again) {
            // the listener was closed meanwhile
        }
        acceptFailures.log("accept on " + uri + " failed (" + e.getMessage() + "); accepting again in " + millis + " ms");
    }

    private void accepted(SocketChannel accepted) throws IOException {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            refuse(accepted);
            return;
        }
        String peer = kind.describePeer(accepted);
        ChannelIo io;
        IoLoop loop;
        try {
            accepted.configureBlocking(false);
            io = kind.open(accepted);
            loop = IoLoopGroup.lease(loops);
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            closeQuietly(accepted);
            LOG.log(Level.DEBUG, () -> "connection " + peer + " could not be set up: " + e);
            return;
        }
        NioWire.open(io, loop, peer, settings.connectTimeout(), settings.drainTimeout(), kind.waitingThreadsRead(),
                this::startSession, error -> {
                    open.decrementAndGet();
                    if (error instanceof IOException) { // the peer's doing (handshake, timeout, reset): not news
                        LOG.log(Level.DEBUG, () -> "connection " + peer + " failed before its session started: " + error);
                    } else { // ours (a missing class in a WAR, a bug): every connection would end so, silently
                        LOG.log(Level.WARNING, "connection " + peer + " on " + uri + " could not start its session", error);
                    }
                });
    }

    /** On the connection's loop, once its handshake is done. */
    private void startSession(NioWire wire) {
        SpdySession session = new SpdySession(wire, true, settings, SessionThreads.executor(settings), budget);
        track(session);
        wire.attach(session);
        session.closeFuture().whenComplete((v, e) -> open.decrementAndGet());
        session.start(uri.toString());
        session.closeUnlessAChannelOpensWithin(settings.firstStreamTimeout());
        if (closed || !sessions.offer(session)) {
            session.abort();
        }
    }

    /** Keeps {@code session} among the live ones ({@link #state()}) until it ends. */
    private void track(SpdySession session) {
        live.add(session);
        session.closeFuture().whenComplete((v, e) -> live.remove(session));
    }

    private void refuse(SocketChannel accepted) {
        // counted before the close: whoever sees the connection closed finds it counted
        io.libchan.internal.observe.LibchanMetrics metrics = io.libchan.internal.observe.Telemetry.metrics(settings);
        if (metrics != null) {
            metrics.connectionRefused(uri.getScheme(), withoutQuery(uri), "max_connections");
        }
        try {
            accepted.configureBlocking(false);
            if (kind.refusalSpeaksSpdy()) {
                accepted.write(ByteBuffer.wrap(GOAWAY_NONE_TAKEN)); // a fresh socket's buffer takes 16 bytes
            }
        } catch (IOException e) {
            // it goes away all the same
        } finally {
            closeQuietly(accepted);
        }
        refusals.log(uri + " refused a connection: it holds " + settings.maxConnections()
                + " connections, its limit (maxConnections)");
    }

    private static String withoutQuery(URI u) {
        String s = u.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public java.util.Optional<ListenerState> state() {
        boolean bound = !closed && server.isOpen();
        long now = System.nanoTime();
        int stuck = 0;
        for (SpdySession s : live) {
            if (s.drainOverdue(now)) {
                stuck++;
            }
        }
        boolean alive = bound && acceptLoop.isAlive();
        return java.util.Optional.of(new ListenerState(bound, alive, alive && acceptsNow(), open.get(),
                settings.maxConnections(), stuck));
    }

    /** False while accepting pauses after a failure ({@link #backOff}). */
    private boolean acceptsNow() {
        SelectionKey k = key;
        try {
            return k != null && k.isValid() && (k.interestOps() & SelectionKey.OP_ACCEPT) != 0;
        } catch (java.nio.channels.CancelledKeyException e) {
            return false;
        }
    }

    @Override
    public Transport accept() {
        return take(Long.MAX_VALUE);
    }

    @Override
    public Transport accept(Duration timeout) {
        return take(QueueReceiver.deadline(timeout));
    }

    @Override
    public CompletableFuture<Transport> acceptAsync() {
        return QueueReceiver.nextAsync(sessions, "listener closed: " + uri);
    }

    private Transport take(long deadline) {
        try {
            return (Transport) sessions.take(deadline);
        } catch (EndOfChannelException e) {
            throw new ChannelClosedException("listener closed: " + uri);
        }
    }

    /** Stops accepting; returns once the listening socket is really closed (its port free again). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sessions.closeSend();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            acceptLoop.execute(() -> {
                SelectionKey k = key;
                if (k != null) {
                    k.cancel();
                }
                try {
                    server.close();
                } catch (IOException e) {
                    // already closed
                }
                // the socket is released when the selector drops the cancelled key, at its next select
                acceptLoop.execute(() -> {
                    done.complete(null);
                    acceptLoop.release();
                });
            });
        } catch (RejectedExecutionException e) {
            try {
                server.close();
            } catch (IOException again) {
                // already closed
            }
            acceptLoop.release();
            return;
        }
        if (!acceptLoop.inLoop()) {
            try {
                await(done, acceptLoop, "close the listening socket");
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing " + uri + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "NioListener(" + uri + ")";
    }
}
