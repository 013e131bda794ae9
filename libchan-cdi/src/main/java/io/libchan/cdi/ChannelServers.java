package io.libchan.cdi;

import io.libchan.Listener;
import io.libchan.Transport;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletionStage;

/**
 * Serves sessions and listeners opened outside this module (an HTTP endpoint of the application, a
 * servlet, a test) with the application's {@link ChannelEndpoint} methods, exactly as the sessions of
 * a {@code libchan.server.<name>} are served: each top-level channel the peer opens is routed by its
 * name. Also tells where a server is bound. An injectable {@code @Dependent} bean (a shared,
 * thread-safe handle); usable once the application has deployed, until it shuts down.
 *
 * <pre>
 *   &#64;Inject ChannelServers servers;
 *   servers.serve(session, new ChannelServers.Route("rest", uri, servers.endpoints(), Optional.empty(), Set.of()));
 *   servers.serve("web", libchanEndpoint);     // libchan.server.web.default-endpoint=echo, no listen key
 *   URI raw = servers.uri("raw");               // libchan.server.raw.listen=tcp://127.0.0.1:0 → the port it got
 * </pre>
 *
 * <p>In a web application the application need not call {@link #serve(String, Listener)} itself for
 * a listener that a servlet extension put in the servlet context: every attribute named
 * {@value #SERVLET_ATTRIBUTE_PREFIX}{@code <name>} holding a {@link Listener} when the application
 * scope is initialized is served as the server {@code <name>} (libchan-undertow's mount stores its
 * endpoint as {@code io.libchan.server.mount}). Its sessions run on libchan-core's default threads,
 * so once they are drained at shutdown those threads are stopped
 * ({@link io.libchan.Libchan#shutdownDefaultThreads}), and none outlives the deployment.
 */
public interface ChannelServers {
    /** The servlet context attributes whose {@link Listener}s are served by name at application start. */
    String SERVLET_ATTRIBUTE_PREFIX = "io.libchan.server.";

    /** The names of every {@link ChannelEndpoint} of the application. */
    SortedSet<String> endpoints();

    /**
     * Every role named by {@code @RolesAllowed} on an endpoint method or its bean class, or by a
     * gateway target ({@code libchan.gateway.<name>.roles}): the roles worth asking the HTTP layer
     * about ({@code isUserInRole}) when a session is accepted.
     */
    SortedSet<String> roles();

    /**
     * Serves {@code session} from now on and returns at once. Each top-level channel the peer opens
     * goes to the endpoint of its name if {@code route.endpoints()} holds it, an unnamed one to
     * {@code route.defaultEndpoint()}; any other channel is closed, and its first message's reply
     * channel gets an {@link UnknownEndpointException} error reply. {@link SessionOpened} is fired now
     * and {@link SessionClosed} when the session ends, both named {@code route.source()}, role
     * {@link SessionRole#SERVER}. At application shutdown the session is drained and closed like a
     * server's. The session belongs to this bean from now on.
     *
     * @return completes when the session ended (when the peer stopped opening channels)
     * @throws IllegalArgumentException when the route names an endpoint the application does not have
     * @throws IllegalStateException when the application is shutting down; the session is closed
     */
    CompletionStage<Void> serve(Transport session, Route route);

    /**
     * Serves every session {@code listener} accepts from now on (from application start if called
     * earlier), as the sessions of a {@code libchan.server.<name>} with a {@code listen} key are
     * served: all endpoints; unnamed channels to {@code libchan.server.<name>.default-endpoint}, or
     * the only endpoint; {@link SessionOpened}/{@link SessionClosed} named {@code name} with the
     * listener's URI; {@link ChannelCall#peerPrincipal()} from each session's
     * {@link Transport#peerPrincipal()}, and {@code @RolesAllowed} and {@link ChannelCall#isPeerInRole}
     * from its {@link Transport#isPeerInRole} (libchan-undertow's endpoint answers with the HTTP
     * request's roles); at shutdown the listener is closed (so pass one whose
     * {@code close()} only stops accepting, such as libchan-undertow's {@code LibchanEndpoint}), then
     * its sessions are drained within {@code libchan.server.<name>.drain-timeout} and closed. The
     * listener belongs to this module from now on. A name the configuration does not have is served
     * with the defaults. One listener per name. Its sessions are not authenticated by the
     * {@link PeerAuthenticator} (that is for {@code listen} URIs): the listener answers for its
     * peers, as libchan-undertow's does with the web application's security constraints.
     *
     * @throws IllegalArgumentException when the configuration gives {@code name} a {@code listen} URI
     *         (the listener stays the caller's)
     * @throws IllegalStateException when {@code name} already serves a listener (the listener stays the
     *         caller's), or the application is shutting down (the listener is closed)
     */
    void serve(String name, Listener listener);

    /**
     * Where the server {@code serverName} is reachable: its listener's URI, so the port it was given
     * when its {@code listen} URI said 0 (query parameters as the transport reports them).
     *
     * @throws IllegalArgumentException when there is no server of that name
     * @throws IllegalStateException when it is a server without {@code listen} that has not been handed
     *         a listener yet ({@link #serve(String, Listener)})
     */
    URI uri(String serverName);

    /**
     * How one session is served.
     *
     * @param source reported as {@link ChannelCall#source()} and as the name of the session events
     * @param uri reported as {@link ChannelCall#uri()}, e.g. the HTTP path the session came in on
     * @param endpoints the endpoints the session may reach (a subset of {@link #endpoints()})
     * @param defaultEndpoint where unnamed channels go: one of {@code endpoints}, or empty to refuse them
     * @param peerRoles the roles the peer holds, for {@code @RolesAllowed} and {@link ChannelCall#isPeerInRole}
     * @param defaultEndpointKey the configuration key that sets {@code defaultEndpoint}, named in the error
     *        reply to an unnamed channel when there is none (e.g. {@code libchan.rest.default-endpoint});
     *        empty when nothing configures it
     */
    record Route(String source, URI uri, Set<String> endpoints, Optional<String> defaultEndpoint, Set<String> peerRoles,
                 Optional<String> defaultEndpointKey) {
        public Route {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(defaultEndpointKey, "defaultEndpointKey");
            Objects.requireNonNull(uri, "uri");
            endpoints = Set.copyOf(endpoints);
            Objects.requireNonNull(defaultEndpoint, "defaultEndpoint");
            peerRoles = Set.copyOf(peerRoles);
            if (defaultEndpoint.isPresent() && !endpoints.contains(defaultEndpoint.get())) {
                throw new IllegalArgumentException("the default endpoint '" + defaultEndpoint.get()
                        + "' is not among the endpoints of the route " + new java.util.TreeSet<>(endpoints));
            }
        }

        /** A route whose default endpoint no configuration key sets. */
        public Route(String source, URI uri, Set<String> endpoints, Optional<String> defaultEndpoint, Set<String> peerRoles) {
            this(source, uri, endpoints, defaultEndpoint, peerRoles, Optional.empty());
        }
    }
}
