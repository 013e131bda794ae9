package io.libchan.undertow.internal.h2;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.internal.session.SpdySession;
import io.libchan.undertow.internal.server.EndpointRoutes;
import io.libchan.undertow.internal.server.PeerRoles;
import io.libchan.undertow.internal.server.SessionQueue;
import io.libchan.undertow.internal.ws.WebSocketSessions;
import io.undertow.security.api.SecurityContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.concurrent.Executor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * The server end of the HTTP/2 tunnel (PROTOCOL.md section 13, "HTTP/2 tunnel"): a {@code POST} of
 * content type {@value #CONTENT_TYPE} over HTTP/2 becomes one libchan session whose client-to-server
 * frames are the request body and server-to-client frames the response body. The 200 and its
 * headers go out at once, before any frame is read; whatever refused the request earlier (401, 403)
 * did so before the session existed. Each session is then read and written on the connection's
 * I/O thread (application threads hand their writes to it).
 */
public final class TunnelHandler implements HttpHandler {
    /** The content type of both bodies: SPDY/3 frames. */
    public static final String CONTENT_TYPE = "application/vnd.libchan.spdy3";

    private final SessionQueue sessions;
    private final Settings settings;
    private final Executor executor;

    public TunnelHandler(SessionQueue sessions, Settings settings, Executor executor) {
        this.sessions = sessions;
        // only Java peers use the tunnel: no need to wait to detect Go's dialects
        this.settings = settings.dialect().isPresent() ? settings : settings.toBuilder().dialect(Dialect.HEAD).build();
        this.executor = executor;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!Protocols.HTTP_2_0.equals(exchange.getProtocol())) {
            if (!exchange.isSecure()) {
                exchange.getResponseHeaders().put(Headers.UPGRADE, "h2c");
            }
            EndpointRoutes.plain(exchange, StatusCodes.UPGRADE_REQUIRED, "libchan: the session tunnel needs HTTP/2"
                    + " (h2 over TLS, or h2c); HTTP/1.1 clients use WebSocket or POST JSON to the call path");
            return;
        }
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            EndpointRoutes.plain(exchange, StatusCodes.METHOD_NOT_ALLOWED, "libchan: the session tunnel takes POST");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(CONTENT_TYPE)) {
            EndpointRoutes.plain(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "libchan: the session tunnel takes Content-Type: " + CONTENT_TYPE);
            return;
        }
        if (!sessions.reserve()) { // before the 200: a client told it is in is not turned away after
            io.libchan.undertow.internal.ws.WebSocketSessions.countRefused(settings, exchange, exchange.isSecure() ? "h2" : "h2c",
                    sessions.refusalReason());
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, WebSocketSessions.RETRY_AFTER_SECONDS);
            EndpointRoutes.plain(exchange, StatusCodes.SERVICE_UNAVAILABLE, "libchan: " + sessions.refusalText());
            return;
        }
        try {
            exchange.dispatch(executor, this::serve);
        } catch (RuntimeException e) {
            sessions.release();
            throw e;
        }
    }

    private void serve(HttpServerExchange exchange) {
        boolean seated = false;
        try {
            seated = start(exchange);
        } finally {
            if (!seated) {
                sessions.release();
            }
        }
    }

    /** @return true once the session took the seat reserved for it */
    private boolean start(HttpServerExchange exchange) {
        // the client asks "Expect: 100-continue" only so that a refusal ahead of us goes out at once
        // (TunnelClient); taken, the tunnel reads its body as it comes. Left in place, the request
        // body would be cut when a servlet container ends the exchange after this handler returns
        // (Undertow closes an unread body it was never told to continue)
        exchange.getRequestHeaders().remove(Headers.EXPECT);
        exchange.setStatusCode(StatusCodes.OK);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        StreamSinkChannel sink = exchange.getResponseChannel();
        StreamSourceChannel source = exchange.getRequestChannel();
        InetSocketAddress peer = exchange.getSourceAddress();
        String description = (exchange.isSecure() ? "h2://" : "h2c://") + peer.getHostString() + ":" + peer.getPort()
                + " stream " + exchange.getRequestPath();
        ChannelWire wire = new ChannelWire(sink, source, principal(exchange), description, () -> { });
        SpdySession session = new SpdySession(wire, true, settings, executor);
        try {
            sink.flush(); // the response headers: the client knows it is in before the first frame
        } catch (IOException e) {
            session.onInputFailed(e);
            return false;
        }
        InetSocketAddress local = exchange.getDestinationAddress();
        // the listener by this side's address, not the path: a peer chooses it, each would be a series
        session.start((exchange.isSecure() ? "h2://" : "h2c://") + local.getHostString() + ":" + local.getPort());
        if (sessions.offerReserved(PeerRoles.carry(session, PeerRoles.of(exchange)))) {
            // the body is read on the I/O thread and this handler returns: Undertow defers read and
            // write resumptions until a handler call returns, and the tunnel needs them
            BodyReader.start(source, session);
            wire.keepExchangeOpen();
        }
        return true;
    }

    private static Principal principal(HttpServerExchange exchange) {
        SecurityContext security = exchange.getSecurityContext();
        if (security == null || security.getAuthenticatedAccount() == null) {
            return null;
        }
        return security.getAuthenticatedAccount().getPrincipal();
    }
}
