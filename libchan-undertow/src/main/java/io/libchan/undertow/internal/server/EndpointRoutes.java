package io.libchan.undertow.internal.server;

import io.libchan.undertow.internal.Uris;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * Routes a request below the mount prefix (PROTOCOL.md section 13, "Paths"): the prefix itself is the
 * WebSocket endpoint, {@code /session} the HTTP/2 tunnel, {@code /call} and {@code /call/{name}}
 * the HTTP/1.1 request/reply fallback; anything else is 404. Expects the prefix already stripped
 * (as {@code PathHandler.addPrefixPath} does).
 */
public final class EndpointRoutes implements HttpHandler {
    private final HttpHandler webSocket;
    private final HttpHandler tunnel;
    private final HttpHandler calls;

    public EndpointRoutes(HttpHandler webSocket, HttpHandler tunnel, HttpHandler calls) {
        this.webSocket = webSocket;
        this.tunnel = tunnel;
        this.calls = calls;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
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
