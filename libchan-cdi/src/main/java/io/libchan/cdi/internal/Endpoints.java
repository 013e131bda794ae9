package io.libchan.cdi.internal;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application's endpoints by name, and the routing rule: a named channel goes to the
 * endpoint of that name (or nowhere), an unnamed one to the default endpoint, if any. Immutable.
 */
final class Endpoints {
    private final Map<String, EndpointDispatcher> byName;

    Endpoints(Map<String, EndpointDispatcher> byName) {
        this.byName = Map.copyOf(byName);
    }

    Optional<EndpointDispatcher> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The endpoint for a channel opened with {@code channelName}; unnamed channels go to {@code defaultEndpoint}. */
    Optional<EndpointDispatcher> route(Optional<String> channelName, Optional<String> defaultEndpoint) {
        return channelName.or(() -> defaultEndpoint).flatMap(this::named);
    }

    /** The endpoints named in {@code names} only (unknown names are ignored). */
    Endpoints only(Set<String> names) {
        return new Endpoints(byName.entrySet().stream().filter(e -> names.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    Set<String> names() {
        return byName.keySet();
    }

    Collection<EndpointDispatcher> all() {
        return byName.values();
    }
}
