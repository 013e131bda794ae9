package io.libchan.undertow.internal.ws;

import java.io.IOException;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What the clients on the JDK's {@link WebSocket} (the {@code libchan.json} framing) share. */
final class JdkWebSockets {
    private JdkWebSockets() {
    }

    /** Waits for a send to complete; its failure as an {@link IOException}. Blocks: not on a WebSocket's own threads. */
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

    /** Sends a close frame and drops the connection if the peer does not answer it within 5 s. Never blocks. */
    static void closeGracefully(WebSocket socket) {
        closeGracefully(socket, WebSocket.NORMAL_CLOSURE, "");
    }

    /** As {@link #closeGracefully(WebSocket)}, with close {@code code} and {@code reason}. */
    static void closeGracefully(WebSocket socket, int code, String reason) {
        if (socket.isOutputClosed()) {
            socket.abort();
            return;
        }
        try {
            socket.sendClose(code, reason)
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
}
