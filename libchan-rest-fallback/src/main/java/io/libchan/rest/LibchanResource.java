package io.libchan.rest;

import io.libchan.rest.internal.RestCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.InputStream;

/**
 * The HTTP/1.1 fallback of PROTOCOL.md section 13.6 as a JAX-RS resource at {@code {app-path}/libchan},
 * beside the application's own resources and behind its security constraints:
 * <pre>
 *   POST {app-path}/libchan/call[/{endpoint}]   Content-Type: application/json
 *        Accept: anything        → the first reply as JSON (200), 204 when none, 504 after the call timeout
 *        Accept: text/event-stream → the replies, and the Receivers they carry, as Server-Sent Events
 *   GET  {app-path}/libchan/ws     → 426 unless it is the WebSocket upgrade (see {@link LibchanWebSocketInstaller})
 * </pre>
 * The authenticated principal of the request becomes the session's {@link io.libchan.Transport#peerPrincipal()},
 * and the roles it holds among those the endpoints' {@code @RolesAllowed} name go with it. Which endpoints
 * are reachable, and where an unnamed call goes, is configured ({@link LibchanRest}).
 *
 * <p>An application turns it on by listing this class in its {@code Application.getClasses()}, or
 * gets it by the JAX-RS scanning of the WAR (an {@code Application} that lists no classes).
 * {@code @ApplicationScoped}: one instance, thread-safe; a JAX-RS runtime without CDI integration
 * may create it itself, which works too (the module's beans are then looked up through {@link CDI}).
 */
@Path("libchan")
@ApplicationScoped
public class LibchanResource {
    private static final String CALL = "call{endpoint: (/[^/]+)?}";

    @Inject
    RestCalls injected;

    /** The calls bean: injected when the JAX-RS runtime gets this resource from CDI (WildFly), else looked up. */
    private RestCalls calls() {
        RestCalls c = injected;
        return c != null ? c : CDI.current().select(RestCalls.class).get();
    }

    /** A call answered with one JSON reply (or 204, or an error status with an error-reply body). */
    @POST
    @Path(CALL)
    @Produces({"application/json", "*/*;qs=0.1"})
    public void call(@PathParam("endpoint") String endpoint, @Context HttpHeaders headers, @Context SecurityContext security,
                     @Context UriInfo uri, InputStream body, @Suspended AsyncResponse response,
                     @Context HttpServletRequest servletRequest) {
        calls().call(endpoint, headers, security, uri, body, response, servletRequest);
    }

    /** A call answered as Server-Sent Events: channel 0 is the reply, the Receivers in it 1, 2, 3… */
    @POST
    @Path(CALL)
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5")
    public void events(@PathParam("endpoint") String endpoint, @Context HttpHeaders headers, @Context SecurityContext security,
                       @Context UriInfo uri, InputStream body, @Context SseEventSink sink, @Context Sse sse,
                       @Context HttpServletRequest servletRequest, @Context HttpServletResponse servletResponse) {
        calls().events(endpoint, headers, security, uri, body, sink, sse, servletRequest, servletResponse);
    }

    @GET
    @Path(CALL)
    public Response get() {
        return calls().notAllowed();
    }

    @PUT
    @Path(CALL)
    public Response put() {
        return calls().notAllowed();
    }

    @DELETE
    @Path(CALL)
    public Response delete() {
        return calls().notAllowed();
    }

    @PATCH
    @Path(CALL)
    public Response patch() {
        return calls().notAllowed();
    }

    /** The WebSocket path without an upgrade (the upgrade itself never reaches JAX-RS). */
    @GET
    @Path("ws")
    public Response webSocketWithoutUpgrade() {
        return calls().notAWebSocket();
    }
}
