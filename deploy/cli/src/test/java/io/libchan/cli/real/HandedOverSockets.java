package io.libchan.cli.real;

import io.libchan.Transport;
import io.libchan.unix.UnixGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory} for {@link GatewayRealPartsIT}: each socket is the PostgreSQL
 * socket the unix:// gateway of {@link #session} hands over for its target {@code pg} (the JDBC
 * URL's host and port are not used). Public, with a public constructor: pgjdbc instantiates it by name.
 */
public final class HandedOverSockets extends SocketFactory {
    /** The session to the gateway the next sockets come through (set by the test). */
    static volatile Transport session;

    @Override
    public Socket createSocket() {
        return UnixGateway.socket(session, "pg", Duration.ofSeconds(30));
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
