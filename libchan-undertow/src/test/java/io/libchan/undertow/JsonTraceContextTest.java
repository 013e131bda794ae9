package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Receiver;
import io.libchan.Settings;
import io.libchan.Transport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trace context over {@code libchan.json} (PROTOCOL.md 13.4.1): a Java client that opens a channel
 * inside a span puts {@code traceparent} and {@code tracestate} in the {@code open} frame, and the
 * server hands them to its application as the channel's {@link Receiver#traceContext()}; a channel
 * opened outside any span carries none.
 */
@Timeout(60)
class JsonTraceContextTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void aChannelOpenedInASpanCarriesItsTraceToTheServer() {
        try (Listener listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults());
             Transport client = Libchan.connect(URI.create(listener.uri() + "?codec=json"), Settings.defaults())) {
            SpanContext context = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
                    TraceState.builder().put("vendor", "v1").build());
            try (Scope ignored = Span.wrap(context).makeCurrent()) {
                client.newSendChannel("traced").send(Map.of("n", 1));
            }
            client.newSendChannel("plain").send(Map.of("n", 2));
            Transport server = listener.accept(WAIT);
            Receiver traced = server.waitReceiveChannel(WAIT);
            assertEquals(Map.of("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01", "tracestate", "vendor=v1"),
                    traced.traceContext());
            assertEquals(Map.of(), server.waitReceiveChannel(WAIT).traceContext(), "opened outside any span");
            server.abort();
        }
    }
}
