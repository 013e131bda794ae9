package io.libchan.demo.embedded;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@code GET /metrics}: every metric of {@link DemoTelemetry} in the Prometheus text format
 * (version 0.0.4), as a Prometheus server scrapes it. Stateless; thread-safe.
 */
final class MetricsHandler implements HttpHandler {
    private final DemoTelemetry telemetry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsHandler(DemoTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
            return;
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        writer.write(text, telemetry.collect());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, writer.getContentType());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(text.toByteArray()));
    }
}
