package io.libchan.cdi.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;

/**
 * Checks the collected injection points and endpoint methods against the configuration at
 * {@code AfterDeploymentValidation}, recording every problem; yields a {@link DeploymentPlan} only
 * when there is none. Not thread-safe: one validation pass.
 */
final class DeploymentValidator {
    private final DeploymentProblems problems = new DeploymentProblems();
    private final ConfigReader config;
    private final boolean authenticator;
    private final boolean identityStores;

    /**
     * @param authenticator whether the application has a {@link io.libchan.cdi.PeerAuthenticator} bean,
     *                      recording a problem if that cannot be told
     * @param identityStores whether it has a Jakarta Security identity store, which authenticates the
     *                       peers of listeners that need a client certificate
     */
    DeploymentValidator(Config config, Set<String> schemes, java.util.function.Predicate<DeploymentProblems> authenticator,
                        boolean identityStores) {
        this.config = new ConfigReader(config, problems, schemes);
        this.authenticator = authenticator.test(problems);
        this.identityStores = identityStores;
    }

    DeploymentProblems problems() {
        return problems;
    }

    /** The plan, or empty when {@link #problems()} has something to report. */
    Optional<DeploymentPlan> validate(List<ChannelRequest> requests, List<FoundEndpoint> found) {
        Map<String, EndpointMethod> endpoints = endpoints(found);
        Map<String, ChannelConfig> channels = channels(requests);
        GatewayConfig gateway = config.gateway();
        Map<String, ServerConfig> servers = servers(endpoints, gateway);
        Map<String, Integer> limits = limits(endpoints);
        TaskThreads threads = config.threads();
        Set<String> transports = new TreeSet<>();
        requests.stream().filter(r -> r.kind().equals(Optional.of(ChannelKind.TRANSPORT)))
                .forEach(r -> transports.add(r.name()));
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeploymentPlan(channels, servers, endpoints, limits, transports, threads, gateway));
    }

    private Map<String, EndpointMethod> endpoints(List<FoundEndpoint> found) {
        Map<String, EndpointMethod> endpoints = new TreeMap<>();
        for (FoundEndpoint f : found) {
            EndpointMethod.of(f.bean(), f.method(), f.annotation(), problems).ifPresent(e -> {
                if (e.name().equals(io.libchan.Directory.CHANNEL) || e.name().equals(io.libchan.gateway.Gateway.CHANNEL)) {
                    problems.add("@ChannelEndpoint(\"" + e.name() + "\")", UserMessages.reservedEndpointName(e.name()));
                }
                EndpointMethod other = endpoints.putIfAbsent(e.name(), e);
                if (other != null) {
                    problems.add("@ChannelEndpoint(\"" + e.name() + "\")",
                            UserMessages.duplicateEndpoint(other.describe(), e.describe()));
                }
            });
        }
        return endpoints;
    }

    private Map<String, ChannelConfig> channels(List<ChannelRequest> requests) {
        Map<String, String> requiredBy = new LinkedHashMap<>();
        for (ChannelRequest r : requests) {
            if (r.name().isBlank()) {
                problems.add(r.where(), UserMessages.blankChannelName());
            } else if (r.kind().isEmpty()) {
                problems.add(r.where(), UserMessages.unsupportedInjectionType(r.type()));
            } else {
                requiredBy.putIfAbsent(r.name(), r.where());
            }
        }
        config.configuredChannels().forEach(name -> requiredBy.putIfAbsent(name, "configuration"));
        Map<String, ChannelConfig> channels = new TreeMap<>();
        requiredBy.forEach((name, where) -> config.channel(name, where).ifPresent(c -> channels.put(name, c)));
        for (ChannelRequest r : requests) {
            ChannelConfig c = channels.get(r.name());
            if (c == null || r.kind().isEmpty()) {
                continue;
            }
            String uriKey = ConfigKeys.channel(r.name(), ConfigKeys.URI);
            if (r.kind().get() == ChannelKind.RECEIVER && !c.inApp()) {
                problems.add(uriKey, UserMessages.receiverOfRemoteChannel(c.uri(), r.where()));
            } else if ((r.kind().get() == ChannelKind.TRANSPORT || r.kind().get() == ChannelKind.GATEWAY) && c.inApp()) {
                problems.add(uriKey, UserMessages.transportOfInAppChannel(c.uri(), r.kind().get().type, r.where()));
            }
        }
        return channels;
    }

    private Map<String, ServerConfig> servers(Map<String, EndpointMethod> endpoints, GatewayConfig gateway) {
        Map<String, ServerConfig> servers = new TreeMap<>();
        for (String name : config.configuredServers()) {
            config.server(name).ifPresent(s -> {
                servers.put(name, s);
                if (endpoints.isEmpty() && gateway.targets().isEmpty()) {
                    problems.add(s.listen().isPresent() ? ConfigKeys.server(name, ConfigKeys.LISTEN)
                            : ConfigKeys.SERVER_PREFIX + name + ".*", UserMessages.serverWithoutEndpoints());
                }
                s.defaultEndpoint().filter(e -> !endpoints.containsKey(e)).ifPresent(e -> problems.add(
                        ConfigKeys.server(name, ConfigKeys.DEFAULT_ENDPOINT), UserMessages.noSuchEndpoint(e)));
                checkAccess(s, endpoints);
                checkTargets(s, gateway);
            });
        }
        return servers;
    }

    /**
     * Who may reach a server: a raw listener authenticates (a PeerAuthenticator bean) or is
     * anonymous and lists its endpoints, none of them restricted to roles; listed endpoints exist.
     */
    private void checkAccess(ServerConfig s, Map<String, EndpointMethod> endpoints) {
        String endpointsKey = ConfigKeys.server(s.name(), ConfigKeys.ENDPOINTS);
        boolean certificates = identityStores && s.needsClientCertificates();
        if (s.raw() && !s.anonymous() && !authenticator && !certificates) {
            problems.add(ConfigKeys.server(s.name(), ConfigKeys.LISTEN), UserMessages.unauthenticatedListener(s.name()));
        }
        if (s.raw() && s.anonymous() && s.endpoints().isEmpty()) {
            problems.add(endpointsKey, UserMessages.anonymousWithoutEndpoints(s.name()));
        }
        Set<String> listed = s.endpoints().orElse(Set.of());
        for (String e : listed) {
            EndpointMethod method = endpoints.get(e);
            if (method == null) {
                problems.add(endpointsKey, UserMessages.noSuchEndpoint(e));
            } else if (s.anonymous() && s.raw() && !method.access().anyone()) {
                problems.add(endpointsKey, UserMessages.restrictedEndpointAnonymous(e, method.access().roles()));
            }
        }
        s.defaultEndpoint().filter(e -> s.endpoints().isPresent() && !listed.contains(e)).ifPresent(e -> problems.add(
                ConfigKeys.server(s.name(), ConfigKeys.DEFAULT_ENDPOINT), UserMessages.defaultEndpointNotListed(e, listed)));
    }

    /** A server's listed gateway targets exist; an anonymous listener lists none limited to roles. */
    private void checkTargets(ServerConfig s, GatewayConfig gateway) {
        String key = ConfigKeys.server(s.name(), ConfigKeys.TARGETS);
        for (String t : s.targets().orElse(Set.of())) {
            GatewayConfig.Target target = gateway.targets().get(t);
            if (target == null) {
                problems.add(key, UserMessages.noSuchTarget(t));
            } else if (s.anonymous() && s.raw() && !target.roles().isEmpty()) {
                problems.add(key, UserMessages.restrictedTargetAnonymous(t, target.roles()));
            }
        }
    }

    private Map<String, Integer> limits(Map<String, EndpointMethod> endpoints) {
        Map<String, Integer> limits = new TreeMap<>();
        for (String name : config.configuredEndpoints()) {
            if (!endpoints.containsKey(name)) {
                config.maxConcurrency(name);
                problems.add(ConfigKeys.endpoint(name, ConfigKeys.MAX_CONCURRENCY), UserMessages.noSuchEndpoint(name));
            }
        }
        endpoints.forEach((name, e) -> limits.put(name, config.maxConcurrency(name).orElse(e.annotatedLimit())));
        return limits;
    }
}
