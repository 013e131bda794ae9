package io.libchan.unix.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * The file descriptor of a JDK socket channel (the gateway dials its targets with them), so that a
 * unix session can pass it. The JDK keeps it in {@code sun.nio.ch}, which is reachable only when
 * java.base exports that package to us: {@code libchan.jar}'s manifest says
 * {@code Add-Exports: java.base/sun.nio.ch}; elsewhere run with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}. Without it nothing is found and the
 * gateway splices the bytes instead.
 */
final class JdkSockets {
    private static final Class<?> SEL_CH;
    private static final Method GET_FD;

    static {
        Class<?> type = null;
        Method getFd = null;
        try {
            Class<?> c = Class.forName("sun.nio.ch.SelChImpl");
            if (c.getModule().isExported("sun.nio.ch", JdkSockets.class.getModule())) {
                getFd = c.getMethod("getFD");
                type = c;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // another JDK: no descriptors for its sockets
        }
        SEL_CH = type;
        GET_FD = getFd;
    }

    private JdkSockets() {
    }

    /** The descriptor of {@code value} when it is an open JDK socket channel and the JDK lets us see it. */
    static Optional<FileDescriptor> descriptorOf(Object value) {
        if (GET_FD == null || !(value instanceof SocketChannel) || !SEL_CH.isInstance(value) || !((SocketChannel) value).isOpen()) {
            return Optional.empty();
        }
        try {
            FileDescriptor fd = (FileDescriptor) GET_FD.invoke(value);
            return fd != null && fd.valid() ? Optional.of(fd) : Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
