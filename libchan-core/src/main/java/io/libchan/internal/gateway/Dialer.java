package io.libchan.internal.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;

/** Dials a gateway target URI: {@code tcp://host:port} or {@code unix:///path}. */
public final class Dialer {
    private Dialer() {
    }

    /**
     * Checks that {@code target} is a URI this class can dial.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static URI check(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "tcp":
                if (target.getHost() == null || target.getPort() <= 0) {
                    throw new IllegalArgumentException("a tcp target needs tcp://HOST:PORT, not " + target);
                }
                return target;
            case "unix":
                if (target.getPath() == null || target.getPath().isEmpty()) {
                    throw new IllegalArgumentException("a unix target needs unix:///PATH, not " + target);
                }
                return target;
            default:
                throw new IllegalArgumentException("a gateway target is tcp://HOST:PORT or unix:///PATH, not " + target);
        }
    }

    /** A connected blocking socket to {@code target}, within {@code timeout} (a unix connect does not wait). */
    public static SocketChannel dial(URI target, Duration timeout) throws IOException {
        if ("unix".equalsIgnoreCase(target.getScheme())) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(target.getPath()));
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // the socket adaptor's connect is the one blocking connect of a SocketChannel with a deadline
            ch.socket().connect(new InetSocketAddress(target.getHost(), target.getPort()),
                    (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
