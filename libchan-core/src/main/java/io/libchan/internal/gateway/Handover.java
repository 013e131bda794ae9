package io.libchan.internal.gateway;

import io.libchan.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A tunnel whose target socket was handed to the client as a file descriptor (unix sockets, Java
 * peers): no byte of it passes through this side. The gateway keeps its own copy of the socket
 * only until the client closes {@code conn}, which it does once it holds the descriptor: the
 * descriptor travels in a frame written after the answer was queued, and closing our copy before
 * that frame left would pass a closed descriptor.
 */
public final class Handover implements Tunnel {
    private final ByteStream conn;
    private final SocketChannel socket;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    public Handover(ByteStream conn, SocketChannel socket) {
        this.conn = conn;
        this.socket = socket;
    }

    /** Waits, on the calling thread, until the client lets go of {@code conn}; then closes our copy. */
    public void run() {
        InputStream in = conn.input();
        byte[] buf = new byte[512];
        try {
            while (in.read(buf) >= 0) {
                // a client that asked for the descriptor writes nothing here: whatever comes is dropped
            }
        } catch (IOException | RuntimeException e) {
            // a reset or a lost session is the client letting go too
        }
        abort();
    }

    /**
     * Closes our copy of the socket, never with a reset: the client may hold the same socket, and
     * SO_LINGER belongs to the socket, not to our descriptor. Idempotent.
     */
    @Override
    public void abort() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        conn.close();
        done.complete(null);
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public long bytesToTarget() {
        return 0;
    }

    @Override
    public long bytesFromTarget() {
        return 0;
    }
}
