package io.libchan.undertow.internal.fallback;

import io.libchan.internal.fallback.CallResponse;
import io.libchan.internal.fallback.HttpCalls;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A {@link CallResponse} on an Undertow exchange in blocking mode (used from non-I/O threads only). */
final class ExchangeResponse implements CallResponse {
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
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
    public void startEvents() throws IOException {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, HttpCalls.EVENT_STREAM);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no"); // ask proxies not to buffer events
        out = exchange.getOutputStream();
        out.flush();
    }

    @Override
    public void event(String name, String data) throws IOException {
        write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void comment() throws IOException {
        write(COMMENT);
    }

    private void write(byte[] chunk) throws IOException {
        out.write(chunk);
        out.flush();
    }

    @Override
    public void end() throws IOException {
        out.close();
    }
}
