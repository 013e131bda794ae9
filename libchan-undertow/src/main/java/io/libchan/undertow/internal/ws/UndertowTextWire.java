package io.libchan.undertow.internal.ws;

import io.libchan.internal.json.JsonWire;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * The server side of a {@code libchan.json} WebSocket: one text message per frame. Frames are
 * handed to the connection's I/O thread without waiting for each ({@link IoThreadSends}); a sender
 * waits only while more than {@value SendWindow#MAX_IN_FLIGHT} bytes are unwritten, so a browser that
 * stops reading holds no thread until then, and a close frame follows the frames handed over before it.
 */
final class UndertowTextWire implements JsonWire {
    private final WebSocketChannel channel;
    private final IoThreadSends sends;
    private final Principal principal;
    private final String description;

    UndertowTextWire(WebSocketChannel channel, Principal principal, String description) {
        this.channel = channel;
        this.sends = new IoThreadSends(channel);
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void send(String frame) throws IOException {
        sends.sendText(frame);
        if (!sends.onIoThread()) {
            sends.window().awaitRoom(); // a slow browser is felt once a window of frames waits
        }
    }

    @Override
    public void close() {
        sends.thenRun(() -> ServerClose.gracefully(channel));
    }

    @Override
    public void close(int code, String reason) {
        sends.thenRun(() -> ServerClose.withCode(channel, code, reason));
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
