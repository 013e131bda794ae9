package io.libchan.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A plain TCP server on loopback for gateway tests: each connection runs {@code handler} on a thread of its own. */
final class TcpTarget implements AutoCloseable {
    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TcpTarget(Handler handler) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(() -> {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                Thread t = new Thread(() -> {
                    try (s) {
                        handler.handle(s);
                    } catch (IOException e) {
                        // the test asserts on what the handler recorded
                    }
                }, "tcp-target-conn");
                t.setDaemon(true);
                t.start();
            }
        }, "tcp-target-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Echoes every byte; at end-of-stream, half-closes back. */
    static TcpTarget echo() throws IOException {
        return new TcpTarget(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            in.transferTo(out);
            s.shutdownOutput();
        });
    }

    URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
