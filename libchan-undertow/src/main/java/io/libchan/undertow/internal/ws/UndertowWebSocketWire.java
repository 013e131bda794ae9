package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.Wire;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Optional;

/**
 * The server side of a {@code libchan.spdy3} WebSocket, seen as a {@link Wire}: each SPDY frame is
 * sent whole as one binary message (old Go peers need that, PROTOCOL.md section 13). Writes block the
 * calling thread (never an I/O thread: the session writes from application threads and its own
 * executor) until Undertow has taken the frame, so a slow peer pushes back on senders.
 */
final class UndertowWebSocketWire implements Wire {
    private final WebSocketChannel channel;
    private final Principal principal;
    private final String description;

    UndertowWebSocketWire(WebSocketChannel channel, Principal principal, String description) {
        this.channel = channel;
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        ByteBuffer[] message = payload == null || len == 0
                ? new ByteBuffer[] {ByteBuffer.wrap(head)}
                : new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(payload, off, len)};
        WebSockets.sendBinaryBlocking(message, channel);
    }

    @Override
    public void flush() {
        // every frame was sent (and flushed) as its own message
    }

    @Override
    public void close() {
        ServerClose.gracefully(channel);
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
