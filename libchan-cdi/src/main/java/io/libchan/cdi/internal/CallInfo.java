package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelCall;
import java.net.URI;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What {@link ChannelCall} reports for calls on one served channel. Immutable.
 *
 * @param endpoint the endpoint the channel was routed to
 * @param channelName the name the peer opened the channel with, if any
 * @param source the server or channel name the channel came in on
 * @param uri that server's or channel's URI
 * @param peerPrincipal the peer's identity, if any
 * @param peerRoles whether the peer holds a role, as the session was accepted with
 * @param trace the W3C trace context the channel came with ({@link io.libchan.Receiver#traceContext()})
 */
record CallInfo(String endpoint, Optional<String> channelName, String source, URI uri,
                Optional<Principal> peerPrincipal, Predicate<String> peerRoles, Map<String, String> trace)
        implements ChannelCall {

    /** A call from a peer that holds no roles, on a channel that brought no trace context. */
    CallInfo(String endpoint, Optional<String> channelName, String source, URI uri, Optional<Principal> peerPrincipal) {
        this(endpoint, channelName, source, uri, peerPrincipal, role -> false, Map.of());
    }

    @Override
    public boolean isPeerInRole(String role) {
        return role != null && peerRoles.test(role);
    }
}
