package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.MessageBatch;
import io.libchan.internal.session.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a {@code libchan.spdy3} WebSocket on the JDK's {@link WebSocket}: the whole SPDY
 * frames of a write batch go out as one binary message ({@link MessageBatch}, PROTOCOL.md section
 * 13.3). The JDK allows one outstanding send at a time, so a message waits for the previous one to
 * be handed to the socket, and {@link #flush()} waits for the last; that wait is the back-pressure
 * the session feels. Writes come from one thread at a time (the session's frame writer).
 */
final class JdkWebSocketWire implements Wire {
    private final WebSocket socket;
    private final String description;
    private final MessageBatch batch = new MessageBatch(); // the session writer's own
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null); // the session writer's own

    JdkWebSocketWire(WebSocket socket, String description) {
        this.socket = socket;
        this.description = description;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        batch.write(head, payload, off, len, this::send);
    }

    @Override
    public void flush() throws IOException {
        batch.sendTo(this::send);
        await(lastSend);
    }

    private void send(ByteBuffer message) throws IOException {
        await(lastSend);
        lastSend = socket.sendBinary(message, true);
    }

    static void await(CompletableFuture<?> send) throws IOException {
        try {
            send.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the WebSocket", e);
        }
    }

    @Override
    public void close() {
        closeGracefully(socket);
    }

    /** Sends a close frame and drops the connection if the peer does not answer it soon. */
    static void closeGracefully(WebSocket socket) {
        if (socket.isOutputClosed()) {
            socket.abort();
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            socket.abort();
                        }
                    });
        } catch (RuntimeException e) {
            socket.abort();
        }
        CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(() -> {
            if (!socket.isInputClosed()) {
                socket.abort();
            }
        });
    }

    @Override
    public String describe() {
        return description;
    }
}
