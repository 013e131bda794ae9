package io.libchan.unix.internal;

import io.libchan.ConnectionLostException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.transport.SocketListener;
import io.libchan.internal.transport.SocketSessions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * {@code unix:///path/to.sock}: SPDY/3 on a unix stream socket (junixsocket), with file descriptor
 * passing between Java peers that agree on it. Listening replaces a stale socket file.
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

    @Override
    public Transport connect(URI uri, Settings settings) {
        File file = path(uri);
        try {
            AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(file));
            UnixWire wire = new UnixWire(socket, "unix://" + file);
            return SocketSessions.start(socket, wire, false, settings, wire::deliverReceived);
        } catch (IOException e) {
            throw new ConnectionLostException("cannot connect to " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Listener listen(URI uri, Settings settings) {
        File file = path(uri);
        try {
            Path p = file.toPath();
            if (Files.exists(p) && !Files.isDirectory(p)) {
                Files.delete(p); // a stale socket from an earlier run
            }
            AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
            server.bind(AFUNIXSocketAddress.of(file));
            return new SocketListener(server, URI.create("unix://" + file.getAbsolutePath()), settings, accepted -> {
                AFUNIXSocket socket = (AFUNIXSocket) accepted;
                UnixWire wire = new UnixWire(socket, "unix://" + file);
                return SocketSessions.start(socket, wire, true, settings, wire::deliverReceived);
            });
        } catch (IOException e) {
            throw new ConnectionLostException("cannot listen on " + uri + ": " + e.getMessage(), e);
        }
    }
}
