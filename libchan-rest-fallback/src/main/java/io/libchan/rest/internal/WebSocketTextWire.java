package io.libchan.rest.internal;

import io.libchan.internal.json.JsonWire;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * A {@code libchan.json} WebSocket on a Jakarta WebSocket {@link Session}: one text message per
 * frame, sent blocking (the JSON session serialises its sends and never sends on a container I/O
 * thread of its own accord).
 */
final class WebSocketTextWire implements JsonWire {
    private final Session socket;
    private final Principal principal;
    private final String description;

    WebSocketTextWire(Session socket, Principal principal, String description) {
        this.socket = socket;
        this.principal = principal;
        this.description = description;
    }

    @Override
    public void send(String frame) throws IOException {
        socket.getBasicRemote().sendText(frame);
    }

    @Override
    public void close() {
        WebSocketEnd.close(socket);
    }

    @Override
    public void close(int code, String reason) {
        WebSocketEnd.close(socket, CloseReason.CloseCodes.getCloseCode(code), reason);
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
