package io.libchan.undertow.internal.ws;

import io.libchan.ConnectionLostException;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.nio.IoLoopGroup;
import io.libchan.internal.nio.NioClient;
import io.libchan.internal.nio.TlsIo;
import io.libchan.internal.transport.TlsSockets;
import io.libchan.undertow.internal.ClientTls;
import io.libchan.undertow.internal.Uris;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Client sessions over {@code ws://} and {@code wss://} ({@value WebSocketSessions#SPDY}) on the
 * library's own I/O threads, as {@code tcp://} and {@code tls://} are: the WebSocket framing is a
 * layer of the connection's bytes ({@link WebSocketIo}) under a {@code NioWire}, so no thread is
 * kept per connection, and over {@code ws://} a platform thread waiting for a message reads the
 * connection itself, as over {@code tcp://}. (The JDK's WebSocket client, used before, kept a
 * selector thread per client and delivered every message through a thread of its executor: two
 * thread hand-offs per reply that raw TCP does not have.) The URI's user info becomes a Basic
 * {@code Authorization} header; its query holds libchan settings and is not sent.
 *
 * <p>{@link #connect} blocks until the upgrade is answered (at most the connect timeout) and fails
 * with {@link ConnectionLostException} naming the cause, e.g. {@code the server answered HTTP 401}.
 */
final class NioWebSocketClient {
    private NioWebSocketClient() {
    }

    static Transport connect(URI uri, Settings settings) {
        String host = Uris.host(uri);
        int port = Uris.port(uri);
        boolean secure = Uris.secure(uri);
        String target = Uris.scheme(uri) + "://" + Uris.authority(uri) + Uris.prefix(uri);
        SocketChannel channel = null;
        ChannelIo io;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ChannelIo bytes = secure ? new TlsIo(channel, engine(ClientTls.context(settings), host, port, settings)) : new ChannelIo(channel);
            io = new WebSocketIo(channel, bytes, Uris.prefix(uri), Uris.authority(uri), WebSocketSessions.SPDY,
                    Uris.basicAuthorization(uri).orElse(null));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConnectionLostException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
        // as tls://, a TLS connection is read by its I/O thread only
        return NioClient.start(io, target, settings, IoLoopGroup.Kind.of(settings), !secure);
    }

    /** A client engine as {@code tls://} makes one, offering HTTP/1.1 (the upgrade) as its only ALPN protocol. */
    private static SSLEngine engine(SSLContext context, String host, int port, Settings settings) {
        SSLEngine engine = TlsSockets.clientEngine(context, host, port, settings);
        SSLParameters params = engine.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        engine.setSSLParameters(params);
        return engine;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
