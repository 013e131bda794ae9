package io.libchan.cdi.internal;

import io.libchan.Transport;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which gateway targets one server offers a session, before the target's own roles are checked
 * (the gateway does that, {@link io.libchan.gateway.Gateway}): a target the server does not offer
 * does not exist for that session ({@code unknown target}, and the directory leaves it out).
 *
 * <ul>
 *   <li>a server that lists targets ({@code libchan.server.<name>.targets}) offers those, and only those;</li>
 *   <li>an anonymous raw listener that lists none offers none;</li>
 *   <li>otherwise a target with roles is offered to every session (its roles decide), and a target
 *       without roles to sessions whose peer is authenticated (has a principal): a door nobody logs
 *       in to, such as an open HTTP mount, reaches no role-less target unless its server lists it.</li>
 * </ul>
 * Immutable.
 */
final class GatewayAccess {
    private final GatewayConfig gateway;
    private final Optional<Set<String>> listed;

    private GatewayAccess(GatewayConfig gateway, Optional<Set<String>> listed) {
        this.gateway = gateway;
        this.listed = listed.map(Set::copyOf);
    }

    /** What {@code server} offers. */
    static GatewayAccess of(GatewayConfig gateway, ServerConfig server) {
        boolean anonymous = server.anonymous() && server.raw();
        return new GatewayAccess(gateway, server.targets().or(() -> anonymous ? Optional.of(Set.of()) : Optional.empty()));
    }

    /** What a door without configuration of its own offers ({@link io.libchan.cdi.ChannelServers.Route} sessions). */
    static GatewayAccess unlisted(GatewayConfig gateway) {
        return new GatewayAccess(gateway, Optional.empty());
    }

    /** The targets offered to {@code session}'s peer (its principal is read once, now). */
    Predicate<String> offered(Transport session) {
        boolean authenticated = session.peerPrincipal().isPresent();
        return name -> {
            GatewayConfig.Target target = gateway.targets().get(name);
            if (target == null) {
                return false;
            }
            if (listed.isPresent()) {
                return listed.get().contains(name);
            }
            return !target.roles().isEmpty() || authenticated;
        };
    }
}
