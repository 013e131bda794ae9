package io.libchan.cdi;

import io.libchan.Transport;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletionStage;

/**
 * Serves sessions accepted outside this module (an HTTP endpoint of the application, a servlet, a
 * test) with the application's {@link ChannelEndpoint} methods, exactly as the sessions of a
 * {@code libchan.server.<name>} are served: each top-level channel the peer opens is routed by its
 * name. An injectable {@code @Dependent} bean (a shared, thread-safe handle); usable once the
 * application has deployed, until it shuts down.
 *
 * <pre>
 *   &#64;Inject ChannelServers servers;
 *   servers.serve(session, new ChannelServers.Route("rest", uri, servers.endpoints(), Optional.empty(), Set.of()));
 * </pre>
 */
public interface ChannelServers {

    /** The names of every {@link ChannelEndpoint} of the application. */
    SortedSet<String> endpoints();

    /**
     * Every role named by {@code @RolesAllowed} on an endpoint method or its bean class: the roles
     * worth asking the HTTP layer about ({@code isUserInRole}) when a session is accepted.
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
     * How one session is served.
     *
     * @param source reported as {@link ChannelCall#source()} and as the name of the session events
     * @param uri reported as {@link ChannelCall#uri()}, e.g. the HTTP path the session came in on
     * @param endpoints the endpoints the session may reach (a subset of {@link #endpoints()})
     * @param defaultEndpoint where unnamed channels go: one of {@code endpoints}, or empty to refuse them
     * @param peerRoles the roles the peer holds, for {@code @RolesAllowed} and {@link ChannelCall#isPeerInRole}
     */
    record Route(String source, URI uri, Set<String> endpoints, Optional<String> defaultEndpoint, Set<String> peerRoles) {
        public Route {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(uri, "uri");
            endpoints = Set.copyOf(endpoints);
            Objects.requireNonNull(defaultEndpoint, "defaultEndpoint");
            peerRoles = Set.copyOf(peerRoles);
            if (defaultEndpoint.isPresent() && !endpoints.contains(defaultEndpoint.get())) {
                throw new IllegalArgumentException("the default endpoint '" + defaultEndpoint.get()
                        + "' is not among the endpoints of the route " + new java.util.TreeSet<>(endpoints));
            }
        }
    }
}
