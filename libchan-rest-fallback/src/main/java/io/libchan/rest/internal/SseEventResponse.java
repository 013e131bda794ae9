package io.libchan.rest.internal;

import io.libchan.internal.fallback.CallResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An event-stream call's answer on a JAX-RS {@link SseEventSink}. A whole response that comes before
 * the first event (the call expired, or was dropped: {@code 504}, {@code 503}) cannot go through the
 * sink, which always answers {@code 200 text/event-stream}: it is kept for the resource method, still
 * waiting for the call to start, to return it as an ordinary response ({@link #early()}).
 */
final class SseEventResponse implements CallResponse {
    private final SseEventSink sink;
    private final Sse sse;
    /** null once the events started; the response otherwise. */
    private final CompletableFuture<Response> before = new CompletableFuture<>();

    SseEventResponse(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    /** The whole response given instead of events, if that is how the call was answered. */
    Optional<Response> early() {
        return Optional.ofNullable(before.getNow(null));
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
        before.complete(AsyncJsonResponse.whole(status, contentType, body));
    }

    @Override
    public void startEvents() {
        before.complete(null);
    }

    @Override
    public void event(String name, String data) throws IOException {
        send(sse.newEventBuilder().name(name).data(data).build());
    }

    @Override
    public void comment() throws IOException {
        send(sse.newEventBuilder().comment("keep-alive").build());
    }

    private void send(OutboundSseEvent event) throws IOException {
        if (sink.isClosed()) {
            throw new IOException("the client of the event stream went away");
        }
        try {
            sink.send(event).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IOException("the event could not be written: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing an event", e);
        }
    }

    @Override
    public void end() {
        sink.close();
    }
}
