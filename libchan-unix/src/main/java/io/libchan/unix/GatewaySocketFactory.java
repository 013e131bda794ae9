package io.libchan.unix;

import io.libchan.Libchan;
import io.libchan.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} for a JDBC driver (pgjdbc's {@code socketFactory} connection property,
 * say): each socket is a tunnel through a libchan gateway over {@code unix://}, whose target's
 * connected socket the gateway hands over ({@link UnixGateway#socket}), so the driver talks to the
 * database with no relay in between. The argument ({@code socketFactoryArg} for pgjdbc) is
 * {@code "GATEWAY_URI TARGET"}, e.g. {@code "unix:///run/libchan/gw.sock pg"}; the host and port
 * of the JDBC URL are ignored:
 * <pre>{@code
 * jdbc:postgresql://gateway/app?socketFactory=io.libchan.unix.GatewaySocketFactory
 *     &socketFactoryArg=unix:///run/libchan/gw.sock%20pg
 * }</pre>
 * One session per gateway URI, shared by every socket of the JVM; thread-safe. A refusal
 * ({@code unknown target}, {@code forbidden}, {@code connect failed}) or a gateway that cannot hand
 * the socket over is an {@link IOException} naming the target, as a driver expects of a connect.
 */
public final class GatewaySocketFactory extends SocketFactory {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, Transport> SESSIONS = new ConcurrentHashMap<>();

    private final String gateway;
    private final String target;

    /** pgjdbc's constructor: {@code arg} is the {@code socketFactoryArg} property, "GATEWAY_URI TARGET". */
    public GatewaySocketFactory(String arg) {
        String[] parts = arg.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("socketFactoryArg must be 'GATEWAY_URI TARGET', not '" + arg + "'");
        }
        this.gateway = parts[0];
        this.target = parts[1];
    }

    /**
     * The target's socket, connected already (pgjdbc connects only a socket that is not). A session
     * the gateway closed meanwhile is replaced once: a server closes a session that opens no
     * channel within its firstStreamTimeout (10 s), which a JVM starting on a loaded machine can miss.
     */
    @Override
    public Socket createSocket() throws IOException {
        for (int attempt = 1;; attempt++) {
            Transport session;
            try {
                session = SESSIONS.compute(gateway, (uri, open) -> open != null && open.isOpen() ? open : Libchan.connect(uri));
            } catch (RuntimeException e) {
                throw new IOException("cannot reach the gateway " + gateway + " for " + target + ": " + e.getMessage(), e);
            }
            try {
                return UnixGateway.socket(session, target, TIMEOUT);
            } catch (RuntimeException e) {
                if (attempt == 1 && !session.isOpen()) {
                    continue;
                }
                throw new IOException("no tunnel to " + target + " through " + gateway + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket();
    }
}
