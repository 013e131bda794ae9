package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.MessageBatch;
import io.libchan.internal.session.Wire;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.FileDescriptor;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * The server side of a {@code libchan.spdy3} WebSocket, seen as a {@link Wire}: the whole SPDY frames
 * of a write batch go out as one binary message ({@link MessageBatch}, PROTOCOL.md section 13.3).
 * Frames are gathered until {@link #flush()}, which hands the message over without waiting for the
 * I/O thread to write it ({@link IoThreadSends}); the writer blocks only while more than
 * {@value SendWindow#MAX_IN_FLIGHT} bytes are still unwritten, so a slow peer pushes back on senders.
 * Writes come from one thread at a time (the session's frame writer), never an I/O thread.
 */
final class UndertowWebSocketWire implements Wire {
    private final WebSocketChannel channel;
    private final Principal principal;
    private final String description;
    private final MessageBatch batch = new MessageBatch(); // the session writer's own
    private final IoThreadSends sends;

    UndertowWebSocketWire(WebSocketChannel channel, Principal principal, String description) {
        this.channel = channel;
        this.principal = principal;
        this.description = description;
        this.sends = new IoThreadSends(channel);
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        batch.write(head, payload, off, len, sends::send);
    }

    @Override
    public void flush() throws IOException {
        if (batch.isEmpty()) {
            sends.check();
            return;
        }
        batch.sendTo(sends::send);
    }

    @Override
    public void close() {
        sends.thenRun(() -> ServerClose.gracefully(channel)); // after the frames already handed over
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
