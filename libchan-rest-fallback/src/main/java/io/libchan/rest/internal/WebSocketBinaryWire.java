package io.libchan.rest.internal;

import io.libchan.internal.session.MessageBatch;
import io.libchan.internal.session.Wire;
import jakarta.websocket.Session;
import java.io.FileDescriptor;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * A {@code libchan.spdy3} WebSocket on a Jakarta WebSocket {@link Session}: the whole SPDY frames of
 * a write batch in one binary message ({@link MessageBatch}, PROTOCOL.md section 13.3), sent
 * blocking at {@link #flush()}, so a slow peer pushes back on senders. The session's frame writer
 * drives it from one thread at a time.
 */
final class WebSocketBinaryWire implements Wire {
    private final Session socket;
    private final Principal principal;
    private final String description;
    private final MessageBatch batch = new MessageBatch();

    WebSocketBinaryWire(Session socket, Principal principal, String description) {
        this.socket = socket;
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        batch.write(head, payload, off, len, socket.getBasicRemote()::sendBinary);
    }

    @Override
    public void flush() throws IOException {
        batch.sendTo(socket.getBasicRemote()::sendBinary);
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
