package io.libchan.undertow.internal.server;

import io.libchan.internal.fallback.AllowedOrigins;
import io.libchan.internal.fallback.CallFailure;
import io.libchan.internal.fallback.HttpCalls;
import io.libchan.undertow.internal.Uris;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * Routes a request below the mount prefix (PROTOCOL.md section 13, "Paths"): the prefix itself is the
 * WebSocket endpoint, {@code /session} the HTTP/2 tunnel, {@code /call} and {@code /call/{name}}
 * the HTTP/1.1 request/reply fallback; anything else is 404. Expects the prefix already stripped
 * (as {@code PathHandler.addPrefixPath} does). Before any of them, a browser's request from an origin
 * that is not allowed ({@link AllowedOrigins}) is refused with 403: a WebSocket handshake, a tunnel or
 * a call alike, so no foreign page can use the credentials its browser holds for this server.
 */
public final class EndpointRoutes implements HttpHandler {
    private final HttpHandler webSocket;
    private final HttpHandler tunnel;
    private final HttpHandler calls;
    private final AllowedOrigins origins;

    public EndpointRoutes(AllowedOrigins origins, HttpHandler webSocket, HttpHandler tunnel, HttpHandler calls) {
        this.origins = origins;
        this.webSocket = webSocket;
        this.tunnel = tunnel;
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (!origins.allows(origin, exchange.getRequestScheme(), exchange.getHostAndPort())) {
            refuseOrigin(exchange, path, origin);
            return;
        }
        if (path.isEmpty() || path.equals("/")) {
            webSocket.handleRequest(exchange);
        } else if (path.equals(Uris.SESSION_PATH)) {
            tunnel.handleRequest(exchange);
        } else if (path.equals(Uris.CALL_PATH) || path.startsWith(Uris.CALL_PATH + "/")) {
            calls.handleRequest(exchange);
        } else {
            plain(exchange, StatusCodes.NOT_FOUND, "libchan: no such endpoint below the mount prefix: " + path);
        }
    }

    /** 403 for a foreign origin: with an error-reply body on the call path (PROTOCOL.md 13.6.4), else plain text. */
    private void refuseOrigin(HttpServerExchange exchange, String path, String origin) {
        String why = "libchan: " + origins.refusal(origin);
        if (path.equals(Uris.CALL_PATH) || path.startsWith(Uris.CALL_PATH + "/")) {
            exchange.setStatusCode(StatusCodes.FORBIDDEN);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, HttpCalls.JSON);
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(
                    new CallFailure(StatusCodes.FORBIDDEN, "forbidden", why).body()));
        } else {
            plain(exchange, StatusCodes.FORBIDDEN, why);
        }
    }

    /** Ends the exchange with a short text/plain explanation. */
    public static void plain(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(text + "\n");
    }

    /** What a plain request to the WebSocket path gets: 426 naming the subprotocols. */
    public static final HttpHandler NOT_A_WEBSOCKET = exchange -> {
        exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
        plain(exchange, StatusCodes.UPGRADE_REQUIRED, "libchan: this path takes WebSocket upgrades"
                + " (subprotocol libchan.spdy3 or libchan.json); HTTP/2 clients POST to <this path>" + Uris.SESSION_PATH
                + ", HTTP/1.1 clients POST JSON to <this path>" + Uris.CALL_PATH);
    };
}
