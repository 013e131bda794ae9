package io.libchan.internal.nio;

import io.libchan.ChannelInterruptedException;
import io.libchan.ConnectionLostException;
import io.libchan.Settings;
import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts a client session on a connected socket, read by a loop of its kind ({@link NioWire}). */
public final class NioClient {
    private NioClient() {
    }

    /**
     * Puts {@code io}'s connected socket on a loop, waits (up to the connect timeout) for its
     * handshake, and returns the started session.
     *
     * @throws ConnectionLostException when the handshake fails or times out (the socket is closed)
     */
    public static SpdySession start(ChannelIo io, String description, Settings settings, IoLoopGroup.Kind loops,
                                    boolean waitingThreadsRead) {
        CompletableFuture<SpdySession> started = new CompletableFuture<>();
        IoLoop loop;
        try {
            loop = IoLoopGroup.lease(loops);
        } catch (java.io.UncheckedIOException e) {
            io.close();
            throw new ConnectionLostException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
        NioWire.open(io, loop, description, settings.connectTimeout(), settings.drainTimeout(), waitingThreadsRead,
                wire -> {
                    SpdySession session = new SpdySession(wire, false, settings, SessionThreads.executor(settings));
                    wire.attach(session);
                    session.start();
                    started.complete(session);
                },
                started::completeExceptionally);
        try {
            // the wire times its handshake out itself; this bound only guards against a lost loop
            return started.get(settings.connectTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ConnectionLostException("cannot connect to " + description + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            io.close();
            throw new ConnectionLostException("cannot connect to " + description + ": no I/O thread took the connection");
        } catch (InterruptedException e) {
            io.close();
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        }
    }

}
