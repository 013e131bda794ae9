package io.libchan.cdi;

import io.libchan.LibchanException;

/**
 * A peer opened a channel whose name no {@link ChannelEndpoint} serves (or an unnamed channel where
 * there is no default endpoint). The channel is closed; if its first message has a reply channel,
 * this exception is sent there as an {@link io.libchan.ErrorReply}, so a Java peer sees a
 * {@link io.libchan.RemoteErrorException} whose {@code type()} is this class's name.
 */
public class UnknownEndpointException extends LibchanException {
    public UnknownEndpointException(String message) {
        super(message);
    }
}
