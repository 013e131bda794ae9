package io.libchan.cdi;

import java.net.URI;
import java.security.Principal;
import java.util.Optional;

/**
 * The endpoint call in progress: an injectable {@code @RequestScoped} bean, valid while a
 * {@link ChannelEndpoint} method runs (and in what it calls on the same thread). Outside an
 * endpoint call every method throws {@link IllegalStateException}. Immutable for the call.
 */
public interface ChannelCall {

    /** The endpoint name the channel was routed to. */
    String endpoint();

    /**
     * The name the peer gave the channel when it opened it ({@link io.libchan.Receiver#channelName()});
     * empty for an unnamed channel routed to a default endpoint. For an in-app channel, its name.
     */
    Optional<String> channelName();

    /** Where the channel came from: the server name ({@code libchan.server.<name>}) or the channel name. */
    String source();

    /** The URI of that server (as bound) or channel. */
    URI uri();

    /** The authenticated identity of the peer of the session the message came in on, if any. */
    Optional<Principal> peerPrincipal();

    /**
     * True when the peer holds {@code role}, as the HTTP layer said when it accepted the session:
     * {@link ChannelServers.Route#peerRoles()} (which holds the roles the endpoints'
     * {@code @RolesAllowed} name), or the session's {@link io.libchan.Transport#isPeerInRole} (the
     * sessions of libchan-undertow's endpoint answer it with the request's {@code isUserInRole}; a
     * raw listener's, with the roles its {@link PeerAuthenticator} gave the peer). Always false on
     * sessions that carry no roles (anonymous raw listeners, remote and in-app channels).
     */
    boolean isPeerInRole(String role);
}
