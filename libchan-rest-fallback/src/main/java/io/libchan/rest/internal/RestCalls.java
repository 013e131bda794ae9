package io.libchan.rest.internal;

import io.libchan.internal.fallback.AllowedOrigins;
import io.libchan.internal.fallback.CallFailure;
import io.libchan.internal.fallback.CallResponse;
import io.libchan.internal.fallback.CallSession;
import io.libchan.internal.fallback.HttpCalls;
import io.libchan.internal.trace.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP/1.1 fallback (PROTOCOL.md section 13.6) on JAX-RS, behind {@link io.libchan.rest.LibchanResource}:
 * checks the request as the protocol says (415, 413, 400 with an error-reply body), opens a
 * {@link CallSession} with the request's principal and roles, and hands it to the application's
 * endpoints. A plain call is answered through an {@link AsyncResponse} without holding a thread; an
 * event-stream call holds its request thread until the first event (at most the call timeout), so
 * that a call that never starts can still be answered {@code 504} instead of an empty stream.
 * Thread-safe.
 */
@ApplicationScoped
public class RestCalls {
    @Inject
    RestFallback fallback;

    /** {@code POST …/call[/{endpoint}]}, any {@code Accept} but {@code text/event-stream}. */
    public void call(String endpoint, HttpHeaders headers, SecurityContext security, UriInfo uri, InputStream body,
                     AsyncResponse async, HttpServletRequest servletRequest) {
        CallSession call;
        try {
            checkOrigin(headers, uri);
            call = open(endpoint, headers, security, uri, body, false, new AsyncJsonResponse(async), servletRequest);
        } catch (CallFailure f) {
            async.resume(refusal(f));
            return;
        }
        Duration timeout = fallback.callTimeout();
        async.setTimeoutHandler(r -> call.expire(timeout));
        async.setTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        serve(call, uri, security);
    }

    /** {@code POST …/call[/{endpoint}]} with {@code Accept: text/event-stream}. */
    public void events(String endpoint, HttpHeaders headers, SecurityContext security, UriInfo uri, InputStream body,
                       SseEventSink sink, Sse sse, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        SseEventResponse response = new SseEventResponse(sink, sse);
        CallSession call;
        try {
            checkOrigin(headers, uri);
            call = open(endpoint, headers, security, uri, body, true, response, servletRequest);
        } catch (CallFailure f) {
            throw new WebApplicationException(refusal(f));
        }
        if (servletResponse != null) { // on a servlet container: headers the sink does not set, before the first event
            servletResponse.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            servletResponse.setHeader("X-Accel-Buffering", "no"); // ask proxies not to buffer events
        }
        serve(call, uri, security);
        Duration timeout = fallback.callTimeout();
        try {
            call.answered().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.expire(timeout);
        } catch (ExecutionException e) {
            call.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.abort();
        }
        response.early().ifPresent(r -> {
            throw new WebApplicationException(r);
        });
    }

    /** Any other method on the call path: 405 with {@code Allow: POST}. */
    public Response notAllowed() {
        checkEnabled();
        return Response.fromResponse(refusal(CallFailure.methodNotAllowed())).header(HttpHeaders.ALLOW, "POST").build();
    }

    /** A plain request to the WebSocket path: 426, as the embedded endpoint answers (PROTOCOL.md 13.2). */
    public Response notAWebSocket() {
        checkEnabled();
        return Response.status(426).header("Upgrade", "websocket").type("text/plain; charset=utf-8")
                .entity("libchan: this path takes WebSocket upgrades (subprotocol libchan.json or libchan.spdy3);"
                        + " HTTP/1.1 clients POST JSON to ../call\n").build();
    }

    /**
     * A browser sends a cross-origin POST with a simple content type and its credentials without asking
     * first (no CORS preflight): refused here, 403, before the body is read.
     */
    private void checkOrigin(HttpHeaders headers, UriInfo uri) throws CallFailure {
        checkEnabled();
        String origin = headers.getHeaderString("Origin");
        URI request = uri.getRequestUri();
        AllowedOrigins origins = fallback.config().allowedOrigins();
        if (!origins.allows(origin, request.getScheme(), request.getRawAuthority())) {
            throw new CallFailure(403, "forbidden", "libchan: " + origins.refusal(origin));
        }
    }

    private CallSession open(String endpoint, HttpHeaders headers, SecurityContext security, UriInfo uri, InputStream body,
                             boolean events, CallResponse response, HttpServletRequest servletRequest) throws CallFailure {
        checkEnabled();
        if (!HttpCalls.isJson(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            throw CallFailure.unsupportedMediaType();
        }
        int max = fallback.settings().maxMessageBytes();
        if (headers.getLength() > max) {
            throw CallFailure.tooLarge(max);
        }
        byte[] bytes = read(body, max);
        String name = endpoint == null || endpoint.isEmpty() ? null : endpoint.startsWith("/") ? endpoint.substring(1) : endpoint;
        return CallSession.open(fallback.codec(), bytes, name, security.getUserPrincipal(), events, response, fallback.threads(),
                TraceHeaders.of(headers.getHeaderString(TraceHeaders.TRACEPARENT), headers.getHeaderString(TraceHeaders.TRACESTATE)),
                origin(uri, servletRequest));
    }

    /**
     * What the metrics name the server side by: {@code http://} or {@code https://} and the address the
     * connection came in on, as on the other doors, read from the servlet request. Not the request
     * URI's authority, which is the client's {@code Host} header: a client could make a series of every
     * value it sends. Off a servlet container (JAX-RS alone tells no address) that authority it is.
     */
    private CallSession.Origin origin(UriInfo uri, HttpServletRequest servletRequest) {
        URI request = uri.getRequestUri();
        String listener = servletRequest != null
                ? request.getScheme() + "://" + WebSocketLimitFilter.localAuthority(servletRequest)
                : request.getScheme() + "://" + request.getRawAuthority();
        return new CallSession.Origin(fallback.settings(), null, listener);
    }

    private static byte[] read(InputStream body, int max) throws CallFailure {
        try {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw CallFailure.tooLarge(max);
            }
            return bytes;
        } catch (IOException e) {
            throw new CallFailure(400, "bad-request", "the request body could not be read: " + e.getMessage());
        }
    }

    private void serve(CallSession call, UriInfo uri, SecurityContext security) {
        try {
            fallback.serve(call, uri.getRequestUri(), fallback.peerRoles(security::isUserInRole));
        } catch (IllegalStateException e) {
            call.abort(); // answers 503
        }
    }

    private void checkEnabled() {
        if (!fallback.enabled()) {
            throw new NotFoundException();
        }
    }

    private static Response refusal(CallFailure f) {
        return AsyncJsonResponse.whole(f.status(), HttpCalls.JSON, f.body());
    }
}
