package io.libchan.undertow.internal.ws;

import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.json.JsonSession;
import io.libchan.undertow.internal.server.PeerRoles;
import io.libchan.undertow.internal.server.SessionQueue;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The server end of libchan's WebSocket transport: completes the handshake (subprotocol
 * {@value #SPDY} or {@value #JSON}; a client that offers none, as Go peers do, gets SPDY/3) and starts
 * one session per connection, handed to the {@link SessionQueue}. Requests without a WebSocket
 * upgrade go to the next handler.
 */
public final class WebSocketSessions implements WebSocketConnectionCallback {
    /** SPDY/3 frames in binary messages, the wire issue's transport. */
    public static final String SPDY = "libchan.spdy3";
    /** JSON text frames (PROTOCOL.md section 13), for browsers. */
    public static final String JSON = "libchan.json";

    /** The handshake request's role check, from the handler to {@link #onConnect}. */
    private static final io.undertow.util.AttachmentKey<PeerRoles.RoleCheck> SESSION_ROLES =
            io.undertow.util.AttachmentKey.create(PeerRoles.RoleCheck.class);

    /** What a 503 for a full backlog asks the client to wait before it tries again. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private final SessionQueue sessions;
    private final Settings settings;
    private final Executor executor;

    private WebSocketSessions(SessionQueue sessions, Settings settings, Executor executor) {
        this.sessions = sessions;
        this.settings = settings;
        this.executor = executor;
    }

    /**
     * A handler that upgrades WebSocket requests into sessions and passes other requests to
     * {@code next}; it answers 503 (with {@code Retry-After}) when the listener's backlog is full,
     * before the handshake's 101.
     */
    public static HttpHandler handler(SessionQueue sessions, Settings settings, Executor executor, HttpHandler next) {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(Set.of(SPDY, JSON), false));
        WebSocketProtocolHandshakeHandler upgrade = new WebSocketProtocolHandshakeHandler(handshakes,
                new WebSocketSessions(sessions, settings, executor), next);
        return exchange -> {
            if (isUpgrade(exchange) && offersOnlyOthers(exchange)) {
                refuseSubprotocols(exchange);
                return;
            }
            if (isUpgrade(exchange) && !takeSeat(sessions, exchange)) {
                countRefused(settings, exchange, exchange.isSecure() ? "wss" : "ws", sessions.refusalReason());
                refuse(exchange, sessions.refusalText());
                return;
            }
            PeerRoles.RoleCheck roles = PeerRoles.of(exchange);
            if (roles != null) { // onConnect sees the exchange through the handshake's view, which keeps attachments
                exchange.putAttachment(SESSION_ROLES, roles);
            }
            upgrade.handleRequest(exchange);
        };
    }

    static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** The client offered subprotocols, none of them ours (offering none at all is Go's way: SPDY/3). */
    private static boolean offersOnlyOthers(HttpServerExchange exchange) {
        List<String> offered = offeredSubprotocols(exchange);
        return !offered.isEmpty() && !offered.contains(SPDY) && !offered.contains(JSON);
    }

    private static List<String> offeredSubprotocols(HttpServerExchange exchange) {
        List<String> offered = new java.util.ArrayList<>();
        io.undertow.util.HeaderValues headers = exchange.getRequestHeaders().get(io.undertow.util.Headers.SEC_WEB_SOCKET_PROTOCOL);
        if (headers == null) {
            return offered;
        }
        for (String header : headers) {
            for (String token : header.split(",")) {
                if (!token.isBlank()) {
                    offered.add(token.trim());
                }
            }
        }
        return offered;
    }

    /**
     * 400, not a session in a framing the client did not ask for: a client that offers only
     * subprotocols we do not speak (a typo, another protocol's client) would otherwise be answered
     * with none selected and then get SPDY/3 frames it cannot read.
     */
    private static void refuseSubprotocols(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.BAD_REQUEST);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("libchan: none of the offered WebSocket subprotocols " + offeredSubprotocols(exchange)
                + " is spoken here: offer " + SPDY + " or " + JSON + " (or none, for SPDY/3)\n");
    }

    /**
     * A seat in the backlog for the session this upgrade starts, taken before the 101 goes out: the
     * client is never told it is in and then closed for want of room. The seat goes back when the
     * exchange ends without switching protocols (a refused or failed handshake).
     */
    private static boolean takeSeat(SessionQueue sessions, HttpServerExchange exchange) {
        if (!sessions.reserve()) {
            return false;
        }
        exchange.addExchangeCompleteListener((ended, next) -> {
            if (ended.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
                sessions.release();
            }
            next.proceed();
        });
        return true;
    }

    /**
     * {@code libchan.connections.refused}, listener by this side's address.
     *
     * @param reason {@code backlog_full} or {@code max_connections} ({@link SessionQueue#refusalReason()})
     */
    public static void countRefused(Settings settings, HttpServerExchange exchange, String transport, String reason) {
        io.libchan.internal.observe.LibchanMetrics metrics = io.libchan.internal.observe.Telemetry.metrics(settings);
        if (metrics != null) {
            java.net.InetSocketAddress local = exchange.getDestinationAddress();
            metrics.connectionRefused(transport, transport + "://" + local.getHostString() + ":" + local.getPort(), reason);
        }
    }

    private static void refuse(HttpServerExchange exchange, String why) {
        exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
        exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send("libchan: " + why + "\n");
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Principal principal = exchange.getUserPrincipal();
        String description = (channel.isSecure() ? "wss://" : "ws://") + channel.getSourceAddress().getHostString()
                + ":" + channel.getSourceAddress().getPort();
        Transport session = JSON.equals(channel.getSubProtocol())
                ? startJson(channel, principal, description, listener(channel))
                : startSpdy(channel, principal, description, listener(channel));
        channel.resumeReceives();
        sessions.offerReserved(PeerRoles.carry(session, exchange.getAttachment(SESSION_ROLES)));
    }

    private JsonSession startJson(WebSocketChannel channel, Principal principal, String description, String listener) {
        JsonSession session = JsonSession.server(new UndertowTextWire(channel, principal, description), settings, executor,
                listener);
        channel.getReceiveSetter().set(new JsonMessageFeeder(session, executor, JsonSession.maxFrameChars(settings)));
        channel.addCloseTask(ch -> session.onFailure(new IOException("the WebSocket closed")));
        return session;
    }

    /**
     * What metrics name the listener by: {@code ws://host:port}, this side's address. Not the path:
     * a peer chooses it, and every value would be a series of its own.
     */
    private static String listener(WebSocketChannel channel) {
        java.net.InetSocketAddress local = channel.getDestinationAddress();
        return (channel.isSecure() ? "wss://" : "ws://") + local.getHostString() + ":" + local.getPort();
    }

    private SpdySession startSpdy(WebSocketChannel channel, Principal principal, String description, String listener) {
        UndertowWebSocketWire wire = new UndertowWebSocketWire(channel, principal, description, settings.drainTimeout());
        SpdySession session = new SpdySession(wire, true, settings, executor);
        long maxMessage = settings.maxFrameBytes() + 8L + 64 * 1024;
        SpdyMessageFeeder feeder = new SpdyMessageFeeder(session, wire, channel, maxMessage);
        wire.attach(session, () -> feeder.sessionEnded(channel));
        channel.getReceiveSetter().set(feeder);
        channel.addCloseTask(feeder::onClosed); // on the I/O thread, after every message it fed
        session.start(listener);
        return session;
    }
}
