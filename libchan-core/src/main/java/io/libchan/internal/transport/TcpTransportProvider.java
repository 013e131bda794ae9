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
import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.nio.IoLoopGroup;
import io.libchan.internal.nio.NioClient;
import io.libchan.internal.nio.NioListener;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
        if (!tls(uri)) {
            return connectTcp(uri, settings);
        }
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

    /** Plain TCP: a socket channel read by an I/O thread ({@link NioWire}); waiting threads may read it too. */
    private static Transport connectTcp(URI uri, Settings settings) {
        String host = host(uri);
        int port = port(uri);
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConnectionLostException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
        return NioClient.start(new ChannelIo(channel), "tcp://" + host + ":" + port, settings,
                IoLoopGroup.forSettings(settings), true);
    }

    /** Plain TCP: an I/O thread accepts and reads every connection ({@link NioListener}). */
    private static Listener listenTcp(URI uri, Settings settings) {
        String host = host(uri);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(host, uri.getPort() < 0 ? 0 : uri.getPort()), 1024);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            URI bound = URI.create("tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            return new NioListener(server, bound, settings, IoLoopGroup.forSettings(settings), new PlainTcp());
        } catch (IOException e) {
            closeQuietly(server);
            throw new ConnectionLostException("cannot listen on " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Accepted plain TCP connections. */
    private static final class PlainTcp implements NioListener.Connections {
        @Override
        public ChannelIo open(SocketChannel accepted) throws IOException {
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new ChannelIo(accepted);
        }

        @Override
        public boolean refusalSpeaksSpdy() {
            return true;
        }

        @Override
        public boolean waitingThreadsRead() {
            return true;
        }

        @Override
        public String describePeer(SocketChannel accepted) {
            try {
                return "tcp://" + accepted.getRemoteAddress();
            } catch (IOException e) {
                return "tcp://(unknown peer)";
            }
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        if (!tls(uri)) {
            return listenTcp(uri, settings);
        }
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


    static boolean isTlsServer(ServerSocket s) {
        return s instanceof SSLServerSocket;
    }
}
