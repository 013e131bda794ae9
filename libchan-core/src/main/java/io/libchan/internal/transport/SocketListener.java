package io.libchan.internal.transport;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.session.SessionThreads;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts connections on a server socket and starts a session for each; sessions wait in a queue
 * for {@link #accept()}. One bad handshake never stops the listener. Thread-safe.
 */
public final class SocketListener implements Listener {
    private static final Logger LOG = Logger.getLogger(SocketListener.class.getName());

    /** Starts a session on an accepted socket (after any handshake). */
    public interface SessionStarter {
        Transport start(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final URI uri;
    private final SessionStarter starter;
    private final ChannelQueue sessions = new ChannelQueue(0);
    private final java.util.concurrent.Executor executor;
    private final Thread acceptThread;

    public SocketListener(ServerSocket server, URI uri, io.libchan.Settings settings, SessionStarter starter) {
        this.server = server;
        this.uri = uri;
        this.starter = starter;
        this.executor = SessionThreads.executor(settings);
        this.acceptThread = SessionThreads.factory(settings).newThread(this::acceptLoop);
        acceptThread.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed on " + uri, e);
                }
                continue;
            }
            // handshakes (TLS) run off the accept loop so a slow client cannot block others
            executor.execute(() -> {
                try {
                    Transport t = starter.start(socket);
                    if (!sessions.offer(t)) {
                        t.abort();
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "connection from " + socket.getRemoteSocketAddress() + " failed to start", e);
                    TcpTransportProvider.closeQuietly(socket);
                }
            });
        }
        sessions.closeSend();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Transport accept() {
        return take(Long.MAX_VALUE);
    }

    @Override
    public Transport accept(Duration timeout) {
        return take(QueueReceiver.deadline(timeout));
    }

    @Override
    public java.util.concurrent.CompletableFuture<Transport> acceptAsync() {
        return QueueReceiver.nextAsync(sessions, "listener closed: " + uri);
    }

    private Transport take(long deadline) {
        try {
            return (Transport) sessions.take(deadline);
        } catch (EndOfChannelException e) {
            throw new ChannelClosedException("listener closed: " + uri);
        }
    }

    /** Stops accepting; returns once the accept loop has ended, so the port is really closed. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sessions.closeSend();
        if (Thread.currentThread() != acceptThread) {
            try {
                acceptThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
