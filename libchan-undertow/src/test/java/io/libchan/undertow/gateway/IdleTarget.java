package io.libchan.undertow.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gateway target on loopback that accepts connections and holds them, read by nobody, with one
 * thread for all of them (so it adds no thread per connection to what a test counts); the
 * connections are listed in order of arrival, and closed with it.
 */
final class IdleTarget implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

    IdleTarget() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException e) {
                // closed at the end
            }
        }, "idle-target-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.socket().getLocalPort());
    }

    List<SocketChannel> accepted() {
        return accepted;
    }

    /** Blocks until {@code n} bytes came; they as ASCII. */
    static String read(SocketChannel s, int n) throws IOException {
        ByteBuffer got = ByteBuffer.allocate(n);
        while (got.hasRemaining() && s.read(got) >= 0) {
            // blocking reads until the bytes came
        }
        return new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII);
    }

    /** Returns once the connection ended (a FIN or a reset alike): blocks while it is open. */
    static void awaitEnd(SocketChannel s) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            while (s.read(sink.clear()) >= 0) {
                // whatever came before the end
            }
        } catch (SocketException e) {
            // a reset: ended too
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel s : accepted) {
            s.close();
        }
    }
}
