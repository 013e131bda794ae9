package io.libchan.rest.internal;

import io.libchan.internal.session.Wire;
import jakarta.websocket.Session;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Optional;

/**
 * A {@code libchan.spdy3} WebSocket on a Jakarta WebSocket {@link Session}: each SPDY frame whole in
 * one binary message (PROTOCOL.md section 13.3), sent blocking, so a slow peer pushes back on senders.
 */
final class WebSocketBinaryWire implements Wire {
    private final Session socket;
    private final Principal principal;
    private final String description;

    WebSocketBinaryWire(Session socket, Principal principal, String description) {
        this.socket = socket;
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        int body = payload == null ? 0 : len;
        ByteBuffer message = ByteBuffer.allocate(head.length + body).put(head);
        if (body > 0) {
            message.put(payload, off, len);
        }
        socket.getBasicRemote().sendBinary(message.flip());
    }

    @Override
    public void flush() {
        // every frame went out as its own message
    }

    @Override
    public void close() {
        WebSocketEnd.close(socket);
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public String describe() {
        return description;
    }
}
