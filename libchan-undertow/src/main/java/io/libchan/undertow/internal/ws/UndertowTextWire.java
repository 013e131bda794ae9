package io.libchan.undertow.internal.ws;

import io.libchan.internal.json.JsonWire;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/** The server side of a {@code libchan.json} WebSocket: one text message per frame, blocking sends. */
final class UndertowTextWire implements JsonWire {
    private final WebSocketChannel channel;
    private final Principal principal;
    private final String description;

    UndertowTextWire(WebSocketChannel channel, Principal principal, String description) {
        this.channel = channel;
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void send(String frame) throws IOException {
        WebSockets.sendTextBlocking(frame, channel);
    }

    @Override
    public void close() {
        ServerClose.gracefully(channel);
    }

    @Override
    public void close(int code, String reason) {
        ServerClose.withCode(channel, code, reason);
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
