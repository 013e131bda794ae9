package io.libchan.rest.internal;

import io.libchan.internal.fallback.CallResponse;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A plain call's answer as a JAX-RS {@link AsyncResponse}: the one whole response resumes it. A plain
 * call never streams (the event-stream form is {@link SseEventResponse}).
 */
final class AsyncJsonResponse implements CallResponse {
    private final AsyncResponse async;

    AsyncJsonResponse(AsyncResponse async) {
        this.async = async;
    }

    static Response whole(int status, String contentType, byte[] body) {
        Response.ResponseBuilder b = Response.status(status).header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (body.length > 0) {
            b.entity(body).type(contentType);
        }
        return b.build();
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
        async.resume(whole(status, contentType, body));
    }

    @Override
    public void startEvents() {
        throw new UnsupportedOperationException("a plain call has no event stream");
    }

    @Override
    public void event(String name, String data) {
        throw new UnsupportedOperationException("a plain call has no event stream");
    }

    @Override
    public void comment() {
        throw new UnsupportedOperationException("a plain call has no event stream");
    }

    @Override
    public void end() {
        throw new UnsupportedOperationException("a plain call has no event stream");
    }
}
