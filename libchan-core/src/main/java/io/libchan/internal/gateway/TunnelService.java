package io.libchan.internal.gateway;

import io.libchan.ByteStream;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.Messages;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.System.Logger.Level;

/**
 * The server side of the gateway: answers each request message and runs its tunnel. Requests are
 * handled on {@link #control()} (two threads, never blocking on a peer); dialing the target and
 * answering take a thread of the tunnel pool for that time only. A spliced tunnel then holds no
 * thread ({@link LoopSplice}): its socket is watched by the session's own I/O thread (tcp://,
 * tls://, unix:// on the JDK's sockets) or by one of a few I/O loops of the gateway's (sessions
 * read by Undertow's I/O threads over WebSocket or HTTP/2, junixsocket), and its bytes are moved on
 * the session's I/O thread. A tunnel handed over to the client ({@link Handover}) holds one thread
 * until the client lets go of it; one over a session without an I/O thread (none of the network
 * transports) is spliced with two ({@link Splice}). At most {@code maxTunnels} are open at once, so
 * the pool never grows past twice that. Every thread (the pool's, the control threads, the
 * gateway's loops) comes from the thread factory given, a container's managed one say.
 */
public final class TunnelService implements AutoCloseable {
    public static final String UNKNOWN_TARGET = "unknown target";
    public static final String FORBIDDEN = "forbidden";
    public static final String CONNECT_FAILED = "connect failed";
    public static final String BUSY = "busy";
    public static final String BAD_REQUEST = "bad request";
    private static final System.Logger LOG = System.getLogger(TunnelService.class.getName());

    /** A configured target: where it dials, and the roles of which the caller needs one (none: anyone). */
    public static final class Target {
        final URI uri;
        final Set<String> roles;

        public Target(URI uri, Set<String> roles) {
            this.uri = Dialer.check(uri);
            this.roles = Set.copyOf(roles);
        }
    }

    private final Map<String, Target> targets;
    private final Duration connectTimeout;
    private final int maxTunnels;
    private final Semaphore permits;
    private final ExecutorService control;
    private final ThreadPoolExecutor copies;
    /** The I/O loops that watch the targets' sockets of sessions whose own loop cannot. */
    private final io.libchan.internal.nio.IoLoopGroup.Kind loops;
    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private final java.util.function.BiConsumer<String, Tunnel> onClosed;
    private final java.util.List<CompletableFuture<Void>> idleWaiters = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param onClosed told of each tunnel once both its ends are closed, with its target's name
     * @param threads makes every thread of the gateway (null: the library's own daemon threads)
     */
    public TunnelService(Map<String, Target> targets, Duration connectTimeout, int maxTunnels,
            java.util.function.BiConsumer<String, Tunnel> onClosed, java.util.concurrent.ThreadFactory threads) {
        this.onClosed = onClosed;
        this.targets = Map.copyOf(targets);
        this.connectTimeout = connectTimeout;
        this.maxTunnels = maxTunnels;
        this.permits = new Semaphore(maxTunnels);
        this.control = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named(threads, "libchan-gateway"));
        ((ThreadPoolExecutor) control).allowCoreThreadTimeOut(true);
        this.copies = new ThreadPoolExecutor(0, 2 * maxTunnels, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named(threads, "libchan-gateway-copy"));
        this.loops = LoopSplice.loops(threads);
    }

    /** Where requests are handled and channels served; tasks there must not block. */
    public Executor control() {
        return control;
    }

    /** The number of tunnels open now. */
    public int openTunnels() {
        return open.size();
    }

    /** Completes once no tunnel is open (at once if none is). */
    public CompletableFuture<Void> idle() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        idleWaiters.add(f);
        checkIdle();
        return f;
    }

    private void checkIdle() {
        if (open.isEmpty()) {
            idleWaiters.forEach(f -> {
                if (f.complete(null)) {
                    idleWaiters.remove(f);
                }
            });
        }
    }

    /** Answers one request that came on {@code session}; never blocks. */
    public void handle(Transport session, Object message) {
        handle(session, message, name -> true);
    }

    /**
     * True when {@code name} is a target whose roles {@code session}'s peer satisfies (it holds one
     * of them, or the target has none).
     */
    public boolean allows(Transport session, String name) {
        Target target = targets.get(name);
        return target != null && (target.roles.isEmpty() || target.roles.stream().anyMatch(session::isPeerInRole));
    }

    /**
     * Answers one request that came on {@code session}, for which only the targets {@code offered}
     * accepts exist (any other is an unknown target); never blocks.
     */
    public void handle(Transport session, Object message, java.util.function.Predicate<String> offered) {
        Optional<Sender> ret = Messages.replyChannel(message);
        Object conn = Messages.field(message, "conn").orElse(null);
        Object name = Messages.field(message, "target").orElse(null);
        if (ret.isEmpty()) {
            // nobody to tell: drop the stream, so the caller's reads end
            if (conn instanceof ByteStream) {
                ((ByteStream) conn).close();
            }
            LOG.log(Level.DEBUG, "gateway request without ret dropped");
            return;
        }
        if (!(conn instanceof ByteStream) || !(name instanceof String)) {
            refuse(ret.get(), conn, BAD_REQUEST, "a gateway request is {target: NAME, conn: BYTESTREAM, ret: SENDER}");
            return;
        }
        ByteStream stream = (ByteStream) conn;
        boolean takesDescriptor = Messages.flag(message, "fd");
        Target target = offered.test((String) name) ? targets.get(name) : null;
        if (target == null) {
            refuse(ret.get(), stream, UNKNOWN_TARGET, "no target '" + name + "'");
        } else if (!target.roles.isEmpty() && target.roles.stream().noneMatch(session::isPeerInRole)) {
            refuse(ret.get(), stream, FORBIDDEN, "not allowed to use target '" + name + "'");
        } else if (!permits.tryAcquire()) {
            refuse(ret.get(), stream, BUSY, "too many tunnels open (" + maxTunnels + ")");
        } else {
            AtomicInteger tasks = new AtomicInteger(2);
            Runnable finished = () -> {
                if (tasks.decrementAndGet() == 0) {
                    permits.release();
                }
            };
            Executor counted = r -> copies.execute(() -> {
                try {
                    r.run();
                } finally {
                    finished.run();
                }
            });
            try {
                copies.execute(() -> {
                    try {
                        open(session, (String) name, target, stream, takesDescriptor, ret.get(), counted, finished,
                                () -> tasks.incrementAndGet());
                    } finally {
                        finished.run();
                    }
                });
            } catch (RuntimeException e) { // shut down
                permits.release();
                refuse(ret.get(), stream, BUSY, "gateway closed");
            }
        }
    }

    /**
     * @param noSecondTask the tunnel needs no second task of {@code counted}
     * @param holdPermit the tunnel outlives this task: its permit is released by {@code noSecondTask}'s
     *        counterpart once it is done (see the caller's count)
     */
    private void open(Transport session, String name, Target target, ByteStream stream, boolean takesDescriptor,
            Sender ret, Executor counted, Runnable noSecondTask, Runnable holdPermit) {
        SocketChannel socket;
        try {
            socket = Dialer.dial(target.uri, connectTimeout);
        } catch (IOException | RuntimeException e) {
            noSecondTask.run();
            refuse(ret, stream, CONNECT_FAILED, "cannot reach target '" + name + "': " + e.getMessage());
            return;
        }
        Optional<java.io.FileDescriptor> fd = takesDescriptor ? passableDescriptor(session, socket) : Optional.empty();
        try {
            ret.send(fd.isPresent() ? Map.of("ok", true, "fd", fd.get()) : Map.of("ok", true), connectTimeout);
            ret.close();
        } catch (LibchanException e) {
            noSecondTask.run();
            stream.close();
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was sent on it
            }
            return;
        }
        if (fd.isPresent()) {
            noSecondTask.run();
            Handover handover = new Handover(stream, socket);
            opened(session, name, handover);
            handover.run();
            return;
        }
        Optional<LoopSplice> onLoop = LoopSplice.of(stream, socket, loops);
        if (onLoop.isPresent()) {
            // no thread held: the permit goes back once the tunnel is done, not when this task ends
            LoopSplice splice = onLoop.get();
            holdPermit.run();
            splice.done().whenComplete((none, e) -> noSecondTask.run());
            opened(session, name, splice);
            splice.start();
            noSecondTask.run();
            return;
        }
        Splice splice = new Splice(stream, socket);
        opened(session, name, splice);
        splice.run(counted);
    }

    private void opened(Transport session, String name, Tunnel tunnel) {
        open.add(tunnel);
        tunnel.done().whenComplete((none, e) -> {
            open.remove(tunnel);
            try {
                onClosed.accept(name, tunnel);
            } catch (RuntimeException r) {
                LOG.log(Level.WARNING, "a gateway's tunnel listener failed", r);
            }
            checkIdle();
        });
        SessionTunnels.track(session, tunnel);
    }

    /**
     * The socket's descriptor when {@code session} would pass it as itself (a unix socket to a Java
     * peer that agreed to fd passing, and a socket whose descriptor the wire can reach); else empty,
     * and the tunnel is spliced.
     */
    private static Optional<java.io.FileDescriptor> passableDescriptor(Transport session, SocketChannel socket) {
        if (session instanceof io.libchan.internal.session.SpdySession) {
            return ((io.libchan.internal.session.SpdySession) session).passableDescriptor(socket);
        }
        return Optional.empty();
    }

    private static void refuse(Sender ret, Object conn, String type, String message) {
        if (conn instanceof ByteStream) {
            ((ByteStream) conn).close();
        }
        CompletableFuture<Void> sent;
        try {
            sent = ret.sendAsync(ErrorReply.of(type, message));
        } catch (LibchanException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((none, e) -> {
            if (e != null) {
                LOG.log(Level.DEBUG, "could not answer a gateway request", e);
            }
            ret.close();
        });
    }

    /** Aborts every open tunnel and stops the threads. */
    @Override
    public void close() {
        control.shutdown();
        copies.shutdown();
        open.forEach(Tunnel::abort);
    }

    /** Threads of {@code threads} (null: new daemon threads) named {@code name-N}. */
    private static java.util.concurrent.ThreadFactory named(java.util.concurrent.ThreadFactory threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t;
            if (threads == null) {
                t = new Thread(r);
                t.setDaemon(true);
            } else {
                t = threads.newThread(r);
            }
            try {
                t.setName(name + "-" + n.incrementAndGet());
            } catch (SecurityException e) {
                // a container's thread keeps its own name
            }
            return t;
        };
    }
}
