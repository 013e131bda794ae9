package io.libchan.unix.internal;

import io.libchan.ConnectionLostException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.nio.IoLoopGroup;
import io.libchan.internal.nio.NioClient;
import io.libchan.internal.nio.NioListener;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * {@code unix:///path/to.sock}: SPDY/3 on a unix stream socket (junixsocket), with file descriptor
 * passing between Java peers that agree on it. Listening replaces a stale socket file. Connections
 * are read by I/O threads of their own ({@code libchan-unix-io-N}): junixsocket's channels register
 * only with its own selectors.
 */
public final class UnixTransportProvider implements io.libchan.spi.TransportProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("unix");
    }

    private static File path(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("unix URI needs a path: unix:///path/to.sock, got " + uri);
        }
        return new File(path);
    }

    private static IoLoopGroup.Kind loops(Settings settings) {
        return IoLoopGroup.Kind.of(settings, AFUNIXSelectorProvider.provider(), "libchan-unix-io-");
    }

    @Override
    public Transport connect(URI uri, Settings settings) {
        File file = path(uri);
        AFUNIXSocketChannel channel = null;
        try {
            channel = AFUNIXSocketChannel.open();
            channel.connect(AFUNIXSocketAddress.of(file));
        } catch (IOException e) {
            close(channel);
            throw new ConnectionLostException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
        return NioClient.start(new UnixIo(channel), "unix://" + file, settings, loops(settings), false);
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        File file = path(uri);
        AFUNIXServerSocketChannel server = null;
        try {
            Path p = file.toPath();
            if (Files.exists(p) && !Files.isDirectory(p)) {
                Files.delete(p); // a stale socket from an earlier run
            }
            server = AFUNIXServerSocketChannel.open();
            server.bind(AFUNIXSocketAddress.of(file));
            return new NioListener(server, URI.create("unix://" + file.getAbsolutePath()), settings, loops(settings),
                    new UnixConnections("unix://" + file));
        } catch (IOException e) {
            close(server);
            throw new ConnectionLostException("cannot listen on " + uri + ": " + e.getMessage(), e);
        }
    }

    private static void close(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Accepted unix connections: descriptors pass, GOAWAY on refusal, no reads by waiting threads. */
    private static final class UnixConnections implements NioListener.Connections {
        private final String description;

        UnixConnections(String description) {
            this.description = description;
        }

        @Override
        public ChannelIo open(SocketChannel accepted) {
            return new UnixIo((AFUNIXSocketChannel) accepted);
        }

        @Override
        public boolean refusalSpeaksSpdy() {
            return true;
        }

        @Override
        public boolean waitingThreadsRead() {
            return false;
        }

        @Override
        public String describePeer(SocketChannel accepted) {
            return description;
        }
    }
}
