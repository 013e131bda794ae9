package io.libchan.rest.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;

/** Ends a server WebSocket: a close frame with the given code; the container drops the connection after it. */
final class WebSocketEnd {
    private WebSocketEnd() {
    }

    static void close(Session socket) {
        close(socket, CloseReason.CloseCodes.NORMAL_CLOSURE, "");
    }

    static void close(Session socket, CloseReason.CloseCode code, String reason) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException e) {
            // the connection is gone already
        }
    }
}
