package io.libchan.internal.transport;

import io.libchan.ConnectionLostException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.nio.IoLoopGroup;
import io.libchan.internal.nio.NioClient;
import io.libchan.internal.nio.NioListener;
import io.libchan.internal.nio.TlsIo;
import io.libchan.spi.TransportProvider;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * {@code tcp://host:port} and {@code tls://host:port}: SPDY/3 straight on the socket, as Go
 * libchan and jschan speak it. TLS is plain TLS 1.2/1.3 without ALPN (as Go), offering ALPN
 * {@code spdy/3.1} when the dialect is v0.1.0 (jschan on node 20 wants it). Every connection, both
 * sides, is read by the shared I/O threads ({@link io.libchan.internal.nio.IoLoopGroup}); over
 * plain TCP a platform thread waiting for a message may read for its session itself.
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
        boolean tls = tls(uri);
        SocketChannel channel = null;
        ChannelIo io;
        try {
            SSLContext context = tls ? TlsSockets.context(settings) : null;
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            io = tls ? new TlsIo(channel, TlsSockets.clientEngine(context, host, port, settings)) : new ChannelIo(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConnectionLostException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
        return NioClient.start(io, (tls ? "tls://" : "tcp://") + host + ":" + port, settings,
                IoLoopGroup.Kind.of(settings), !tls);
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        String host = host(uri);
        boolean tls = tls(uri);
        ServerSocketChannel server = null;
        try {
            SSLContext context = tls ? TlsSockets.serverContext(settings) : null;
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(host, uri.getPort() < 0 ? 0 : uri.getPort()), 1024);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String scheme = tls ? "tls" : "tcp";
            URI bound = URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            return new NioListener(server, bound, settings, IoLoopGroup.Kind.of(settings), new TcpConnections(context, settings));
        } catch (IOException e) {
            closeQuietly(server);
            throw new ConnectionLostException("cannot listen on " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Accepted TCP connections, in clear ({@code context} null) or through TLS. */
    private static final class TcpConnections implements NioListener.Connections {
        private final SSLContext context;
        private final Settings settings;

        TcpConnections(SSLContext context, Settings settings) {
            this.context = context;
            this.settings = settings;
        }

        @Override
        public ChannelIo open(SocketChannel accepted) throws IOException {
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return context == null ? new ChannelIo(accepted) : new TlsIo(accepted, TlsSockets.serverEngine(context, settings));
        }

        @Override
        public boolean refusalSpeaksSpdy() {
            return context == null;
        }

        @Override
        public boolean waitingThreadsRead() {
            return context == null;
        }

        @Override
        public String describePeer(SocketChannel accepted) {
            String scheme = context == null ? "tcp://" : "tls://";
            try {
                return scheme + accepted.getRemoteAddress();
            } catch (IOException e) {
                return scheme + "(unknown peer)";
            }
        }
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
