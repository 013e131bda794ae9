package io.libchan.cdi.internal;

import io.libchan.Directory;
import io.libchan.Receiver;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The channels libchan itself serves on one server's sessions, beside the application's endpoints:
 * the gateway ({@value Gateway#CHANNEL}, when the deployment has targets) with the targets
 * {@link GatewayAccess} offers the session, and the directory ({@value Directory#CHANNEL}) listing
 * the endpoints and targets this session's peer may use. Thread-safe, never blocks.
 */
final class LibchanChannels {
    private final Optional<Gateway> gateway;
    private final GatewayAccess access;
    private final Map<String, EndpointAccess> endpoints;
    private final Executor executor;

    /**
     * @param gateway the deployment's, shared by its servers
     * @param endpoints who may call each endpoint of the application
     * @param executor answers directory requests
     */
    LibchanChannels(Optional<Gateway> gateway, GatewayAccess access, Map<String, EndpointAccess> endpoints, Executor executor) {
        this.gateway = gateway;
        this.access = access;
        this.endpoints = Map.copyOf(endpoints);
        this.executor = executor;
    }

    /** True for a channel name served here rather than routed to an endpoint. */
    boolean serves(String channelName) {
        return channelName.equals(Directory.CHANNEL) || (channelName.equals(Gateway.CHANNEL) && gateway.isPresent());
    }

    /**
     * Serves {@code channel}, named {@code channelName} (one {@link #serves} accepts), opened by the
     * peer of {@code session}.
     *
     * @param session answers for the peer's principal and roles
     * @param served the endpoints the session may reach by name
     */
    void serve(Receiver channel, String channelName, Transport session, Set<String> served) {
        Predicate<String> offered = access.offered(session);
        if (channelName.equals(Gateway.CHANNEL)) {
            gateway.orElseThrow().serve(session, channel, offered);
            return;
        }
        Directory.serve(channel, executor, () -> Directory.Listing.of(callable(session, served),
                gateway.map(g -> (Set<String>) g.targetsFor(session, offered)).orElse(Set.of())));
    }

    /** The endpoints of {@code served} whose {@code @RolesAllowed}/{@code @DenyAll} let this peer call them. */
    private Set<String> callable(Transport session, Set<String> served) {
        return served.stream().filter(name -> Optional.ofNullable(endpoints.get(name))
                .map(a -> a.allows(session::isPeerInRole)).orElse(true)).collect(Collectors.toSet());
    }
}
