package io.libchan.unix;

import io.libchan.ByteStream;
import io.libchan.ConnectionLostException;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.internal.bytes.SocketByteStream;
import io.libchan.internal.gateway.SessionTunnels;
import io.libchan.internal.gateway.SocketSplice;
import io.libchan.internal.gateway.Splice;
import io.libchan.internal.gateway.TunnelRequest;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The gateway's client calls over {@code unix://}, where the gateway hands over the target's
 * connected socket itself (file descriptor passing, PROTOCOL.md section 14): the bytes then pass
 * through neither JVM of the session. Where the gateway cannot hand it over (another transport, a
 * gateway that cannot reach the socket's descriptor) the tunnel is spliced as by {@link Gateway}.
 * Thread-safe.
 */
public final class UnixGateway {
    private UnixGateway() {
    }

    /**
     * As {@link Gateway#connect(Transport, String, Duration)}, asking for the target's socket: the
     * stream returned is then that socket itself (its {@code closeWrite()} a TCP half-close) and
     * lives on when the session ends.
     *
     * @throws io.libchan.gateway.TunnelRefusedException when the gateway answered an error reply
     */
    public static ByteStream connect(Transport session, String target, Duration timeout) {
        TunnelRequest.Opened opened = TunnelRequest.open(session, target, timeout, true);
        if (opened.socket().isEmpty()) {
            return opened.conn();
        }
        Socket socket = own(opened.socket().get());
        try {
            return new SocketByteStream(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw new ConnectionLostException("cannot open the target's socket the gateway handed over: " + e.getMessage(), e);
        }
    }

    /**
     * The target's connected socket itself, handed over by the gateway, for code that wants a
     * {@link Socket} (a JDBC driver's socket factory, say): after this returns, no byte of it
     * passes through either JVM of the session, and it lives on when the session ends. Closing it
     * is the caller's.
     *
     * @throws io.libchan.gateway.TunnelRefusedException when the gateway answered an error reply
     * @throws IllegalStateException when the gateway spliced the tunnel instead (the session is not
     *         over unix://, or the gateway cannot reach the target socket's descriptor); the tunnel
     *         is closed
     */
    public static Socket socket(Transport session, String target, Duration timeout) {
        TunnelRequest.Opened opened = TunnelRequest.open(session, target, timeout, true);
        if (opened.socket().isEmpty()) {
            opened.conn().close();
            throw new IllegalStateException("the gateway did not hand over the socket of '" + target
                    + "' (not a unix:// session, or a gateway that cannot pass it): use connect()");
        }
        return own(opened.socket().get());
    }

    /** A socket of our own on the descriptor received, which is closed here. */
    private static Socket own(FileDescriptor received) {
        try {
            // junixsocket closes the descriptors a unix socket received, still open, when that socket
            // closes: our own copy keeps the tunnel alive once the session (or the gateway) is gone
            return FileDescriptorCast.duplicating(received).as(Socket.class);
        } catch (IOException | RuntimeException e) {
            throw new ConnectionLostException("cannot open the target's socket the gateway handed over: " + e.getMessage(), e);
        } finally {
            try {
                new FileInputStream(received).close();
            } catch (IOException e) {
                // the session's end closes it anyway
            }
        }
    }

    /**
     * As {@link Gateway#forward}, asking for the target's socket: {@code local} is then joined to
     * it in this JVM, on the gateway's I/O loops (no thread per tunnel; {@code copies} only opens
     * it), and the tunnel no longer depends on the session.
     * A spliced tunnel is closed when the session ends, as by {@link Gateway#forward}.
     */
    public static CompletableFuture<Void> forward(Transport session, String target, SocketChannel local,
            Executor copies, Duration timeout) {
        return Splice.forward(() -> connect(session, target, timeout), local, copies, splice -> {
            if (!(splice instanceof SocketSplice
                    || splice instanceof Splice && ((Splice) splice).stream() instanceof SocketByteStream)) {
                SessionTunnels.track(session, splice);
            }
        });
    }
}
