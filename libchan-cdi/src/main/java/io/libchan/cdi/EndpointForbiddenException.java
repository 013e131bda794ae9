package io.libchan.cdi;

import io.libchan.LibchanException;

/**
 * The peer lacks every role an endpoint's {@code @RolesAllowed} names (or the endpoint is
 * {@code @DenyAll}): the method is not called, and this exception is sent on the message's reply
 * channel as an {@link io.libchan.ErrorReply}, so a Java peer sees a
 * {@link io.libchan.RemoteErrorException} whose {@code type()} is this class's name. Roles are those
 * the session was accepted with ({@link ChannelServers.Route#peerRoles()}, or the session's
 * {@link io.libchan.Transport#isPeerInRole}: the HTTP request's roles on libchan-undertow's endpoint;
 * on a raw listener's session, those its {@link PeerAuthenticator} gave the peer); anonymous raw
 * sessions, remote channels and in-app channels have none.
 */
public class EndpointForbiddenException extends LibchanException {
    public EndpointForbiddenException(String message) {
        super(message);
    }
}
