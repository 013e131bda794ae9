package io.libchan.internal.transport;

import io.libchan.ConnectionLostException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.session.SpdySession;
import io.libchan.spi.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * {@code tcp://host:port} and {@code tls://host:port}: SPDY/3 straight on the socket, as Go
 * libchan and jschan speak it. TLS is plain TLS 1.2/1.3 without ALPN (as Go), offering ALPN
 * {@code spdy/3.1} when the dialect is v0.1.0 (jschan on node 20 wants it).
 */
public final class TcpTransportProvider implements TransportProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("tcp", "tls");
    }

    private static boolean tls(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT).equals("tls");
    }

    static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("libchan URI needs a host: " + uri);
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(URI uri) {
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException("libchan URI needs a port: " + uri);
        }
        return uri.getPort();
    }

    @Override
    public Transport connect(URI uri, Settings settings) {
        String host = host(uri);
        int port = port(uri);
        Socket socket = null;
        try {
            // plain TCP on a channel (non-blocking writes, ChannelSocketWire); TLS on SSLSocket
            socket = tls(uri) ? new Socket() : java.nio.channels.SocketChannel.open().socket();
            socket.connect(new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
            if (tls(uri)) {
                socket = TlsSockets.clientHandshake(socket, host, port, settings);
            }
            return SocketSessions.start(socket, wire(socket, uri.getScheme() + "://" + host + ":" + port), false, settings);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionLostException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        String host = host(uri);
        try {
            ServerSocket server = tls(uri) ? TlsSockets.serverSocket(settings) : java.nio.channels.ServerSocketChannel.open().socket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(host, uri.getPort() < 0 ? 0 : uri.getPort()), 128);
            URI bound = URI.create(uri.getScheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getLocalPort());
            return new SocketListener(server, bound, settings, socket -> {
                if (socket instanceof SSLSocket) {
                    ((SSLSocket) socket).setSoTimeout((int) settings.connectTimeout().toMillis());
                    ((SSLSocket) socket).startHandshake();
                    socket.setSoTimeout(0);
                }
                String peer = socket.getRemoteSocketAddress().toString();
                SpdySession s = SocketSessions.start(socket, wire(socket, uri.getScheme() + "://" + peer), true, settings);
                return s;
            });
        } catch (IOException e) {
            throw new ConnectionLostException("cannot listen on " + uri + ": " + e.getMessage(), e);
        }
    }

    /** A plain socket that has a channel gets the non-blocking {@link ChannelSocketWire}; others a {@link SocketWire}. */
    private static io.libchan.internal.session.Wire wire(Socket socket, String description) throws IOException {
        if (socket.getChannel() != null && !(socket instanceof SSLSocket)) {
            socket.setTcpNoDelay(true);
            return new ChannelSocketWire(socket.getChannel(), description);
        }
        return new SocketWire(socket, description);
    }

    static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    static boolean isTlsServer(ServerSocket s) {
        return s instanceof SSLServerSocket;
    }
}
