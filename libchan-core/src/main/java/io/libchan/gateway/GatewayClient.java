package io.libchan.gateway;

import io.libchan.ByteStream;
import io.libchan.Directory;
import io.libchan.Transport;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Opens tunnels through the gateway at the other end of one session: {@link Gateway#connect} and
 * {@link Gateway#forward} as an object, for code that is handed one (libchan-cdi injects it:
 * {@code @Inject @Channel("db") GatewayClient}). Each call opens a new channel on the session, so
 * a session that connects on demand and reconnects (libchan-cdi's) serves every call. Thread-safe.
 */
public final class GatewayClient {
    private final Transport session;
    private final Duration timeout;

    private GatewayClient(Transport session, Duration timeout) {
        this.session = Objects.requireNonNull(session, "session");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A client over {@code session}, waiting at most 30 s for each answer. */
    public static GatewayClient over(Transport session) {
        return new GatewayClient(session, Duration.ofSeconds(30));
    }

    /** The same client waiting at most {@code value} for each answer of the gateway. */
    public GatewayClient withTimeout(Duration value) {
        return new GatewayClient(session, value);
    }

    /** The session the tunnels go through. */
    public Transport session() {
        return session;
    }

    /**
     * Opens a tunnel to the gateway's target {@code target}; see {@link Gateway#connect(Transport, String, Duration)}.
     *
     * @throws TunnelRefusedException when the gateway refused ({@link TunnelRefusedException#type()} says why)
     */
    public ByteStream connect(String target) {
        return Gateway.connect(session, target, timeout);
    }

    /** Joins the connected socket {@code local} to a new tunnel to {@code target}; see {@link Gateway#forward}. */
    public CompletableFuture<Void> forward(String target, SocketChannel local, Executor copies) {
        return Gateway.forward(session, target, local, copies, timeout);
    }

    /** The targets the gateway lets this caller use, from its directory ({@link Directory#list}). */
    public SortedSet<String> targets() {
        return Directory.list(session, timeout).targets();
    }
}
