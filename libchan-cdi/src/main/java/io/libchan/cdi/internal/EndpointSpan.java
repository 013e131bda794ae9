package io.libchan.cdi.internal;

import io.libchan.ErrorReply;
import io.libchan.Sender;
import io.libchan.internal.trace.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Optional;

/**
 * The span of one endpoint call, {@code libchan.endpoint <name>} (kind SERVER, OpenTelemetry's RPC
 * conventions: {@code rpc.system=libchan}, {@code rpc.method=<endpoint>}), a child of the caller's
 * trace when the call brought one: the trace context of the request's reply channel, else of the
 * channel it came on (PROTOCOL.md section 8; for an HTTP/1.1 call, its request's headers). An
 * error reply marks it failed with the reply's type as {@code error.type}. Spans go to the tracer
 * {@link EndpointTracer} finds: nothing is recorded until an SDK is there (a server's MicroProfile
 * Telemetry, the application's own). Thread-confined: one call, one thread.
 */
final class EndpointSpan implements AutoCloseable {
    static final String INSTRUMENTATION = "io.libchan";
    static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SOURCE = AttributeKey.stringKey("libchan.source");

    /** No tracing and no trace brought: nothing to do. */
    private static final EndpointSpan NONE = new EndpointSpan(Span.getInvalid(), null);

    private final Span span;
    private final Scope scope; // null for NONE

    private EndpointSpan(Span span, Scope scope) {
        this.span = span;
        this.scope = scope;
    }

    /**
     * Starts the span of a call to {@code endpoint} and makes it current on this thread, so calls the
     * endpoint makes (over libchan or otherwise) join the trace. With no tracer (no SDK) the trace
     * the call brought, if any, is made current as it is, so it still reaches the calls the endpoint
     * makes; with neither, nothing is allocated.
     *
     * @param tracer the tracer, or null when tracing is off ({@link EndpointTracer#tracer()})
     */
    static EndpointSpan start(Tracer tracer, String endpoint, CallInfo call, Optional<Sender> reply) {
        Map<String, String> trace = reply.map(Sender::traceContext).filter(t -> !t.isEmpty()).orElse(call.trace());
        if (tracer == null) {
            if (trace.isEmpty()) {
                return NONE;
            }
            Span remote = Span.fromContext(TraceHeaders.extract(Context.root(), trace));
            return new EndpointSpan(Span.getInvalid(), remote.makeCurrent());
        }
        Context parent = TraceHeaders.extract(Context.root(), trace);
        Span span = tracer.spanBuilder("libchan.endpoint " + endpoint)
                .setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(RPC_SYSTEM, "libchan").setAttribute(RPC_METHOD, endpoint)
                .setAttribute(SOURCE, call.source()).startSpan();
        return new EndpointSpan(span, span.makeCurrent());
    }

    /**
     * The call running on this thread ended with {@code error}, answered as an error reply of
     * {@code error}'s type: marks the current span, the call's, failed. Nothing without one.
     */
    static void failed(Throwable error) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return;
        }
        Object type = ((Map<?, ?>) ErrorReply.of(error).get(ErrorReply.FIELD)).get("type");
        span.setAttribute(ERROR_TYPE, String.valueOf(type));
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.recordException(error);
    }

    /** Ends the span and restores the thread's previous context. */
    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
        span.end(); // a no-op for the invalid span
    }
}
