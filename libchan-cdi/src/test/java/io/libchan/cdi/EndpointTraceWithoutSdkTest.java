package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no OpenTelemetry SDK anywhere, an endpoint call records nothing, but the trace the caller
 * sent is still the current context while the endpoint runs, so the calls it makes pass it on.
 */
class EndpointTraceWithoutSdkTest {
    private static final Duration WAIT = Await.TIMEOUT;
    private static final String TRACE_ID = "5bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "10f067aa0ba902b7";
    static TestContainer server;

    @ApplicationScoped
    static class Witness {
        /** The trace context the endpoint runs in: trace id and span id, or "invalid". */
        @ChannelEndpoint("context")
        String context(Map<String, Object> request) {
            SpanContext c = Span.current().getSpanContext();
            return c.isValid() ? c.getTraceId() + "/" + c.getSpanId() : "invalid";
        }
    }

    @BeforeAll
    static void start() {
        server = TestContainer.start(Map.of("libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true", "libchan.server.api.endpoints", "context"), Witness.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Object call(Sender channel) {
        Pipe ret = Pipe.create();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ret", ret.sender());
        channel.send(request);
        return ret.receiver().receive(Object.class, WAIT);
    }

    @Test
    void theCallersTraceIsTheEndpointsContextWithNoSdk() {
        try (Transport client = Libchan.connect(server.select(ChannelServers.class).uri("api").toString())) {
            Sender channel = client.newSendChannel("context");
            assertEquals("invalid", call(channel), "no trace sent, none made up");
            SpanContext caller = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
            try (Scope ignored = Span.wrap(caller).makeCurrent()) {
                assertEquals(TRACE_ID + "/" + SPAN_ID, call(channel));
            }
            assertFalse(Span.current().getSpanContext().isValid());
        }
    }
}
