package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelCall;
import java.net.URI;
import java.security.Principal;
import java.util.Optional;

/**
 * What {@link ChannelCall} reports for calls on one served channel. Immutable.
 *
 * @param endpoint the endpoint the channel was routed to
 * @param channelName the name the peer opened the channel with, if any
 * @param source the server or channel name the channel came in on
 * @param uri that server's or channel's URI
 * @param peerPrincipal the peer's identity, if any
 */
record CallInfo(String endpoint, Optional<String> channelName, String source, URI uri,
                Optional<Principal> peerPrincipal) implements ChannelCall {
}
