package io.libchan.cdi.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the runtime needs, validated: channels, servers, endpoints and their limits. Immutable.
 *
 * @param channels channel settings by channel name
 * @param servers server settings by server name
 * @param endpoints endpoint methods by endpoint name
 * @param limits each endpoint's concurrency limit (0 = none), by endpoint name
 * @param injectedTransports names of channels injected as a {@code Transport}
 * @param threads this module's own threads in Java SE ({@code libchan.threads})
 * @param gateway the gateway targets the servers offer ({@code libchan.gateway.*})
 */
record DeploymentPlan(Map<String, ChannelConfig> channels, Map<String, ServerConfig> servers,
                      Map<String, EndpointMethod> endpoints, Map<String, Integer> limits,
                      Set<String> injectedTransports, TaskThreads threads, GatewayConfig gateway) {

    /** Where an unnamed channel accepted by {@code server} goes: its default endpoint, or the only endpoint it serves. */
    Optional<String> defaultEndpoint(ServerConfig server) {
        if (server.defaultEndpoint().isPresent()) {
            return server.defaultEndpoint();
        }
        if (server.endpoints().isPresent()) {
            Set<String> listed = server.endpoints().get();
            return listed.size() == 1 ? Optional.of(listed.iterator().next()) : Optional.empty();
        }
        return endpoints.size() == 1 ? Optional.of(endpoints.keySet().iterator().next()) : Optional.empty();
    }
}
