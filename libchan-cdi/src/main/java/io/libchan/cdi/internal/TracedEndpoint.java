package io.libchan.cdi.internal;

/**
 * Runs an endpoint's calls each in its span ({@link EndpointSpan}), the span current while the
 * endpoint runs and answers; the endpoint marks it failed when it answers with an error reply.
 * Thread-safe as the handler it wraps.
 */
final class TracedEndpoint implements MessageHandler {
    private final String name;
    private final MessageHandler endpoint;
    private final EndpointTracer tracer;

    TracedEndpoint(String name, MessageHandler endpoint, EndpointTracer tracer) {
        this.name = name;
        this.endpoint = endpoint;
        this.tracer = tracer;
    }

    @Override
    public void handle(Object message, CallInfo call) {
        try (EndpointSpan ignored = EndpointSpan.start(tracer.tracer(), name, call, ReplyChannels.of(message))) {
            endpoint.handle(message, call);
        }
    }
}
