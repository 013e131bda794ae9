package io.libchan.undertow.internal.ws;

import io.libchan.internal.json.JsonWire;
import java.io.IOException;
import java.net.http.WebSocket;

/** The client side of a {@code libchan.json} WebSocket on the JDK: one text message per frame. */
final class JdkTextWire implements JsonWire {
    private final WebSocket socket;
    private final String description;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    JdkTextWire(WebSocket socket, String description) {
        this.socket = socket;
        this.description = description;
    }

    @Override
    public void send(String frame) throws IOException {
        JdkWebSockets.await(socket.sendText(frame, true)); // the session sends one frame at a time
    }

    @Override
    public void close() {
        close(WebSocket.NORMAL_CLOSURE, "");
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) { // the first close says why; a second would only drop the connection
            JdkWebSockets.closeGracefully(socket, code, reason);
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
