package io.libchan.gateway;

import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.Directory;
import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Transport;
import io.libchan.internal.gateway.Handover;
import io.libchan.internal.gateway.SessionTunnels;
import io.libchan.internal.gateway.Splice;
import io.libchan.internal.gateway.TunnelRequest;
import io.libchan.internal.gateway.TunnelService;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The tcp gateway: a libchan server that tunnels byte streams to the targets it names, and the
 * client calls that open such tunnels.
 *
 * <p><b>Server.</b> Built with named targets ({@code tcp://HOST:PORT} or {@code unix:///PATH}),
 * each optionally limited to roles. A client sends {@code {target: NAME, conn: ByteStream, ret}} on
 * a channel named {@link #CHANNEL}; the gateway dials the target named (never anything else: it is
 * not an open proxy), answers {@code {ok: true}} on {@code ret} and splices the bytes both ways, or
 * answers an error reply whose type is {@link #UNKNOWN_TARGET}, {@link #FORBIDDEN} (the session's
 * peer holds none of the target's roles, {@link Transport#isPeerInRole}), {@link #CONNECT_FAILED}
 * (within the connect timeout), {@link #BUSY} or {@link #BAD_REQUEST}, and closes the stream.
 * A FIN on either side is passed on as a half-close; a reset on either side, or the end of the
 * session, closes both at once.
 *
 * <p><b>What a tunnel costs.</b> Requests are answered on two threads of the gateway's own;
 * dialing a target and answering take a thread of its tunnel pool for that time only. An open
 * tunnel then holds no thread, idle or busy, over every network transport: each DATA frame is
 * written to the target's socket by the session's I/O thread as it decodes it, and what the socket
 * delivers is sent as DATA frames from that thread too. Over {@code tcp://}, {@code tls://} and
 * {@code unix://} on the JDK's sockets the socket is registered on the session's own I/O thread;
 * over WebSocket and HTTP/2 doors (sessions read by Undertow's I/O threads) and junixsocket it is
 * watched by one of a few I/O loops of the gateway ({@code libchan-gateway-io-N}, one per core,
 * shared by all such tunnels), which hands each readiness to the session's thread ({@link #forward}
 * does the same on the client's side). Its memory: a selection key, and a buffer only while one side
 * is slower than the other, bounded by the stream's flow-control window (what the target does not
 * take is not credited back to the client; what the client's window does not take stays in the
 * target's socket). At most {@link Builder#maxTunnels} tunnels are open at
 * once (a request past that is answered {@link #BUSY}). Threads come from {@link Builder#threads}.
 *
 * <p><b>Handing the socket over.</b> Over a unix socket to a Java client that asks for it
 * ({@code io.libchan.unix.UnixGateway} in libchan-unix), the gateway passes the target's connected
 * socket itself as a file descriptor instead of splicing: no byte of that tunnel passes through
 * this JVM ({@link TunnelReport#handedOver()}). It needs to reach its JDK sockets' descriptors
 * ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, or libchan.jar's manifest); without
 * that it splices.
 *
 * <p><b>Client.</b> {@link #connect} opens a tunnel and returns its byte stream; {@link #forward}
 * joins a local socket to a new tunnel. Thread-safe.
 */
public final class Gateway implements AutoCloseable {
    /** The name of the channel a gateway serves ({@link Transport#newSendChannel(String)}). */
    public static final String CHANNEL = "libchan.gateway";
    /** The error type of a request for a target the gateway does not name. */
    public static final String UNKNOWN_TARGET = TunnelService.UNKNOWN_TARGET;
    /** The error type of a request for a target the caller's roles do not allow. */
    public static final String FORBIDDEN = TunnelService.FORBIDDEN;
    /** The error type when the target could not be reached within the connect timeout. */
    public static final String CONNECT_FAILED = TunnelService.CONNECT_FAILED;
    /** The error type when the gateway has {@link Builder#maxTunnels} tunnels open already. */
    public static final String BUSY = TunnelService.BUSY;
    /** The error type of a message that is not {@code {target, conn, ret}}. */
    public static final String BAD_REQUEST = TunnelService.BAD_REQUEST;
    /** The prefix of the configuration keys {@link Builder#config} reads. */
    public static final String CONFIG_PREFIX = "libchan.gateway.";

    private final TunnelService service;
    private final Set<String> names;
    private final boolean unnamedChannels;

    private Gateway(Builder b) {
        Map<String, TunnelService.Target> targets = new LinkedHashMap<>();
        b.targets.forEach((name, uri) -> targets.put(name, new TunnelService.Target(uri, b.roles.getOrDefault(name, Set.of()))));
        Consumer<TunnelReport> reports = b.onTunnelClosed;
        this.service = new TunnelService(targets, b.connectTimeout, b.maxTunnels, (name, tunnel) -> reports.accept(
                new TunnelReport(name, tunnel instanceof Handover, tunnel.bytesToTarget(), tunnel.bytesFromTarget())), b.threads);
        this.names = Set.copyOf(targets.keySet());
        this.unnamedChannels = b.unnamedChannels;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names of the targets this gateway offers. */
    public Set<String> targets() {
        return names;
    }

    /** The number of tunnels open now. */
    public int openTunnels() {
        return service.openTunnels();
    }

    /** Completes once no tunnel is open (at once if none is); for tests and orderly shutdowns. */
    public CompletableFuture<Void> whenNoTunnels() {
        return service.idle();
    }

    /**
     * Serves every session {@code listener} accepts until it closes; never blocks. The future
     * completes when the listener is closed, exceptionally if accepting failed otherwise.
     */
    public CompletableFuture<Void> serve(Listener listener) {
        return loop(listener::acceptAsync, this::serve);
    }

    /**
     * Serves the gateway channels the peer opens on {@code session} until it ends; never blocks.
     * A channel named {@link Directory#CHANNEL} is answered with the targets this peer may use
     * ({@link #targetsFor}) and no endpoint. Other top-level channels are closed, unless
     * {@link Builder#unnamedChannels} is set, which makes unnamed channels gateway channels too (Go
     * and jschan clients cannot name a channel).
     */
    public CompletableFuture<Void> serve(Transport session) {
        return loop(session::receiveChannelAsync, channel -> {
            Optional<String> name = channel.channelName();
            if (name.map(CHANNEL::equals).orElse(unnamedChannels)) {
                serve(session, channel);
            } else if (name.map(Directory.CHANNEL::equals).orElse(false)) {
                Directory.serve(channel, service.control(), () -> Directory.Listing.of(Set.of(), targetsFor(session)));
            } else {
                channel.close();
            }
        });
    }

    /** Serves the requests that come on {@code channel}, one of {@code session}'s; never blocks. */
    public void serve(Transport session, Receiver channel) {
        serve(session, channel, name -> true);
    }

    /**
     * As {@link #serve(Transport, Receiver)}, offering {@code session} only the targets
     * {@code offered} accepts: a request for any other is answered {@link #UNKNOWN_TARGET}, as if
     * the gateway did not have it (a server hides what a listener does not offer). The roles of
     * the target are checked as always. For servers that offer different targets on different
     * listeners.
     */
    public void serve(Transport session, Receiver channel, Predicate<String> offered) {
        channel.subscribe(Object.class, service.control(), message -> service.handle(session, message, offered));
    }

    /** The targets {@code session}'s peer may use: those whose roles it satisfies ({@link Transport#isPeerInRole}). */
    public SortedSet<String> targetsFor(Transport session) {
        return targetsFor(session, name -> true);
    }

    /** As {@link #targetsFor(Transport)}, among those {@code offered} accepts; what the directory lists. */
    public SortedSet<String> targetsFor(Transport session, Predicate<String> offered) {
        return names.stream().filter(offered).filter(name -> service.allows(session, name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Aborts every open tunnel and stops the gateway's threads; sessions stay open. Idempotent. */
    @Override
    public void close() {
        service.close();
    }

    /** Takes items from {@code next} until it fails; the callback runs on the control threads. */
    private <T> CompletableFuture<Void> loop(Supplier<CompletableFuture<T>> next, java.util.function.Consumer<T> each) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        step(next, each, ended);
        return ended;
    }

    private <T> void step(Supplier<CompletableFuture<T>> next, java.util.function.Consumer<T> each, CompletableFuture<Void> ended) {
        CompletableFuture<T> f;
        try {
            f = next.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        // async: a future already complete must not grow the stack
        f.whenCompleteAsync((item, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ChannelClosedException || cause instanceof io.libchan.ConnectionLostException) {
                    ended.complete(null);
                } else {
                    ended.completeExceptionally(cause);
                }
                return;
            }
            try {
                each.accept(item);
            } finally {
                step(next, each, ended);
            }
        }, service.control());
    }

    /** As {@link #connect(Transport, String, Duration)} with a 30 s wait for the answer. */
    public static ByteStream connect(Transport session, String target) {
        return connect(session, target, Duration.ofSeconds(30));
    }

    /**
     * Opens a tunnel to the gateway's target {@code target} over {@code session}: sends the request
     * on a new channel named {@link #CHANNEL} and waits at most {@code timeout} for the answer.
     *
     * @return the tunnel's bytes: what is written reaches the target, and {@code closeWrite()} is a
     *     half-close the target sees as a FIN
     * @throws TunnelRefusedException when the gateway answered an error reply
     * @throws io.libchan.ChannelTimeoutException when no answer came in time
     * @throws io.libchan.ConnectionLostException when the session is lost
     */
    public static ByteStream connect(Transport session, String target, Duration timeout) {
        return TunnelRequest.open(session, target, timeout, false).conn();
    }

    /**
     * Opens a tunnel to {@code target} (on a task of {@code copies}) and joins {@code local} (a
     * connected socket) to it: on the session's I/O thread when it has one (no thread held while the
     * tunnel is open), else on two tasks of {@code copies}, each held while the tunnel is open. The future completes once both
     * ends are closed, exceptionally (and {@code local} closed) if the tunnel could not be opened.
     * When the session ends, the tunnel and {@code local} are closed at once.
     */
    public static CompletableFuture<Void> forward(Transport session, String target, SocketChannel local,
            Executor copies, Duration timeout) {
        return Splice.forward(() -> connect(session, target, timeout), local, copies,
                splice -> SessionTunnels.track(session, splice));
    }

    /** Builds a {@link Gateway}. */
    public static final class Builder {
        private final Map<String, URI> targets = new TreeMap<>();
        private final Map<String, Set<String>> roles = new TreeMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxTunnels = 256;
        private boolean unnamedChannels;
        private Consumer<TunnelReport> onTunnelClosed = report -> { };
        private java.util.concurrent.ThreadFactory threads;

        private Builder() {
        }

        /** Offers {@code uri} ({@code tcp://HOST:PORT} or {@code unix:///PATH}) as {@code name}. */
        public Builder target(String name, URI uri) {
            if (name.isEmpty() || name.contains("=")) {
                throw new IllegalArgumentException("bad gateway target name '" + name + "'");
            }
            targets.put(name, io.libchan.internal.gateway.Dialer.check(uri));
            return this;
        }

        /** Limits {@code name} to callers holding at least one of {@code anyOf}. */
        public Builder roles(String name, Set<String> anyOf) {
            roles.put(name, Set.copyOf(anyOf));
            return this;
        }

        /**
         * Reads targets from configuration keys (MicroProfile Config names):
         * {@code libchan.gateway.NAME.target=URI} and {@code libchan.gateway.NAME.roles=ROLE,ROLE};
         * other keys are ignored.
         */
        public Builder config(Map<String, String> properties) {
            properties.forEach((key, value) -> {
                if (key.startsWith(CONFIG_PREFIX) && key.endsWith(".target")) {
                    target(key.substring(CONFIG_PREFIX.length(), key.length() - ".target".length()), URI.create(value.trim()));
                }
            });
            properties.forEach((key, value) -> {
                if (key.startsWith(CONFIG_PREFIX) && key.endsWith(".roles")) {
                    String name = key.substring(CONFIG_PREFIX.length(), key.length() - ".roles".length());
                    if (!targets.containsKey(name)) {
                        throw new IllegalArgumentException(key + " names no target (" + CONFIG_PREFIX + name + ".target is missing)");
                    }
                    roles(name, Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .collect(Collectors.toSet()));
                }
            });
            return this;
        }

        /** How long dialing a target may take before the answer is {@link #CONNECT_FAILED}; default 10 s. */
        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /** How many tunnels may be open at once; default 256. */
        public Builder maxTunnels(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxTunnels must be at least 1");
            }
            maxTunnels = value;
            return this;
        }

        /** Serves unnamed top-level channels as gateway channels too (for Go and jschan clients). */
        public Builder unnamedChannels(boolean value) {
            unnamedChannels = value;
            return this;
        }

        /**
         * Tells {@code listener} of each tunnel once both its ends are closed (on a gateway thread;
         * it must not block): what it copied, or that it handed the socket over.
         */
        public Builder onTunnelClosed(Consumer<TunnelReport> listener) {
            onTunnelClosed = java.util.Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Makes every thread of the gateway (the control threads, the pool that dials and answers,
         * the I/O loops that watch targets' sockets): a container's {@code ManagedThreadFactory}, say.
         * Default: the library's own daemon threads.
         */
        public Builder threads(java.util.concurrent.ThreadFactory value) {
            threads = java.util.Objects.requireNonNull(value);
            return this;
        }

        public Gateway build() {
            if (!roles.keySet().stream().allMatch(targets::containsKey)) {
                throw new IllegalArgumentException("roles for unknown targets: " + roles.keySet());
            }
            return new Gateway(this);
        }
    }
}
