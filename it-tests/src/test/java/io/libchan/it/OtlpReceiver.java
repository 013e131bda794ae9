package io.libchan.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry collector: an OTLP/HTTP receiver on 127.0.0.1 (a free port) that
 * keeps the protobuf bodies posted to {@code /v1/metrics} and {@code /v1/traces} and answers 200. The
 * tests look for names in the bytes (a protobuf string field is its UTF-8 bytes) rather than
 * decoding them. Thread-safe.
 */
final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<byte[]> metrics = new CopyOnWriteArrayList<>();
    private final List<byte[]> traces = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/metrics", e -> keep(e, metrics));
        server.createContext("/v1/traces", e -> keep(e, traces));
        server.createContext("/", e -> keep(e, null)); // logs, or anything else: taken and dropped
        server.start();
    }

    /** The base URL an exporter posts to ({@code otel.exporter.otlp.endpoint}). */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** True once some metrics export held {@code text} (an instrument's name, say). */
    boolean metricsContain(String text) {
        return contains(metrics, text.getBytes(StandardCharsets.UTF_8));
    }

    /** True once some span export held {@code bytes} (a span's name, a raw trace id). */
    boolean tracesContain(byte[] bytes) {
        return contains(traces, bytes);
    }

    int metricsExports() {
        return metrics.size();
    }

    private static boolean contains(List<byte[]> bodies, byte[] wanted) {
        for (byte[] body : bodies) {
            if (indexOf(body, wanted) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] body, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= body.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (body[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void keep(HttpExchange exchange, List<byte[]> into) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            if (into != null && "POST".equals(exchange.getRequestMethod())) {
                into.add(body);
            }
            // an empty Export*ServiceResponse: nothing rejected
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
