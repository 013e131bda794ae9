package io.libchan.rest.internal;

import io.libchan.Transport;
import io.libchan.internal.json.JsonSession;
import io.libchan.internal.session.SpdySession;
import io.libchan.rest.LibchanRest;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.function.Consumer;

/**
 * One libchan session per WebSocket connection, on Jakarta WebSocket: {@value LibchanRest#JSON_SUBPROTOCOL}
 * (PROTOCOL.md section 13.4, {@link JsonSession}) or {@value LibchanRest#SPDY_SUBPROTOCOL} (section 13.3,
 * {@link SpdySession}; also for a client that offers no subprotocol, as Go peers do). The session goes
 * to the application's endpoints ({@link RestFallback#serve}) with the handshake's principal and roles
 * ({@link HandshakeConfigurator}). Messages are handed to the session on the container's thread, in
 * order; the JSON framing's credit bounds what a client may send ahead. A new instance per connection.
 */
public final class LibchanWebSocket extends Endpoint {
    private final WebSocketSeats seats;
    private final java.util.concurrent.atomic.AtomicBoolean seated = new java.util.concurrent.atomic.AtomicBoolean(true);
    private volatile Runnable onEnd = () -> { };
    private volatile Consumer<IOException> onFailure = e -> { };

    /** @param seats where its handshake took a seat ({@link WebSocketLimitFilter}), given back when it ends */
    LibchanWebSocket(WebSocketSeats seats) {
        this.seats = seats;
    }

    @Override
    public void onOpen(Session socket, EndpointConfig config) {
        RestFallback fallback = CDI.current().select(RestFallback.class).get();
        Principal principal = socket.getUserPrincipal();
        String description = (socket.isSecure() ? "wss:" : "ws:") + socket.getRequestURI().getPath()
                + " (" + RestFallback.describe(principal) + ")";
        if (HandshakeConfigurator.offeredOnlyOthers(config)) {
            // no session in a framing the client did not ask for (it offered subprotocols, none ours)
            WebSocketEnd.close(socket, CloseReason.CloseCodes.PROTOCOL_ERROR,
                    "offer " + LibchanRest.JSON_SUBPROTOCOL + " or " + LibchanRest.SPDY_SUBPROTOCOL);
            return;
        }
        String listener = listener(socket, config);
        Transport session = LibchanRest.JSON_SUBPROTOCOL.equals(socket.getNegotiatedSubprotocol())
                ? json(socket, fallback, principal, description, listener)
                : spdy(socket, fallback, principal, description, listener);
        try {
            fallback.serve(session, webSocketUri(socket), HandshakeConfigurator.roles(config));
        } catch (IllegalStateException e) {
            WebSocketEnd.close(socket, CloseReason.CloseCodes.TRY_AGAIN_LATER, "the application is shutting down");
        }
    }

    private Transport json(Session socket, RestFallback fallback, Principal principal, String description, String listener) {
        JsonSession session = JsonSession.server(new WebSocketTextWire(socket, principal, description),
                fallback.settings(), fallback.threads(), listener);
        socket.setMaxTextMessageBufferSize((int) Math.min(Integer.MAX_VALUE, JsonSession.maxFrameChars(fallback.settings())));
        socket.setMaxBinaryMessageBufferSize(1024);
        socket.addMessageHandler(String.class, session::onFrame);
        socket.addMessageHandler(ByteBuffer.class, b -> session.onBinaryMessage()); // an error frame, then 1003
        onEnd = session::onEnd;
        onFailure = session::onFailure;
        return session;
    }

    private Transport spdy(Session socket, RestFallback fallback, Principal principal, String description, String listener) {
        SpdySession session = new SpdySession(new WebSocketBinaryWire(socket, principal, description), true,
                fallback.settings(), fallback.threads());
        socket.setMaxBinaryMessageBufferSize(fallback.settings().maxFrameBytes() + 8 + 64 * 1024);
        socket.setMaxTextMessageBufferSize(1024);
        socket.addMessageHandler(ByteBuffer.class, session::onBytes);
        socket.addMessageHandler(String.class, text -> {
            session.onInputFailed(new IOException("text message on a libchan.spdy3 WebSocket"));
            WebSocketEnd.close(socket, CloseReason.CloseCodes.CANNOT_ACCEPT, "libchan.spdy3 takes binary messages only");
        });
        onEnd = session::onEndOfInput;
        onFailure = session::onInputFailed;
        session.start(listener);
        return session;
    }

    /**
     * What the session's metrics name the listener by, as the other doors do: {@code ws://host:port}
     * ({@code wss://} over TLS), this side's address, not the path, which the peer chooses. Jakarta
     * WebSocket does not tell that address: {@link WebSocketLimitFilter} reads it from the servlet
     * request; else the request URI's authority when the container gives one (null when neither).
     */
    static String listener(Session socket, EndpointConfig config) {
        String seen = HandshakeConfigurator.listener(config);
        URI u = socket.getRequestURI();
        return seen != null ? seen : listener(socket.isSecure(), u != null ? u.getRawAuthority() : null);
    }

    /** {@code ws://authority} or {@code wss://authority}; null without an authority. */
    static String listener(boolean secure, String authority) {
        return authority == null || authority.isEmpty() ? null : (secure ? "wss://" : "ws://") + authority;
    }

    private static URI webSocketUri(Session socket) {
        URI u = socket.getRequestURI();
        return u.getScheme() != null ? u : URI.create((socket.isSecure() ? "wss:" : "ws:") + u.getRawPath());
    }

    @Override
    public void onClose(Session socket, CloseReason reason) {
        if (seated.compareAndSet(true, false)) {
            seats.release();
        }
        onEnd.run();
    }

    @Override
    public void onError(Session socket, Throwable error) {
        onFailure.accept(error instanceof IOException ? (IOException) error : new IOException(String.valueOf(error), error));
    }
}
