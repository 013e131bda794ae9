package io.libchan.undertow.internal.fallback;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;

/** A {@link CallResponse} on an Undertow exchange in blocking mode (used from non-I/O threads only). */
final class ExchangeResponse implements CallResponse {
    private final HttpServerExchange exchange;
    private OutputStream out;

    ExchangeResponse(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws IOException {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (body.length == 0) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        try (OutputStream o = exchange.getOutputStream()) {
            o.write(body);
        }
    }

    @Override
    public void startStream(int status, String contentType) throws IOException {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(new io.undertow.util.HttpString("X-Accel-Buffering"), "no"); // ask proxies not to buffer events
        out = exchange.getOutputStream();
        out.flush();
    }

    @Override
    public void write(byte[] chunk) throws IOException {
        out.write(chunk);
        out.flush();
    }

    @Override
    public void end() throws IOException {
        out.close();
    }
}
