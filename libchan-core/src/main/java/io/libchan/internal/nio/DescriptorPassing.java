package io.libchan.internal.nio;

import java.io.FileDescriptor;
import java.util.Optional;

/**
 * A {@link ChannelIo} that carries file descriptors beside its bytes (a unix socket, SCM_RIGHTS):
 * what the session needs to know to offer fd passing to its peer.
 */
public interface DescriptorPassing {
    /** The descriptor behind {@code value} (a {@code FileDescriptor}, or a socket it knows how to open up), if it can pass it. */
    Optional<FileDescriptor> descriptorOf(Object value);
}
