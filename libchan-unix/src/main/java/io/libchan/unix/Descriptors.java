package io.libchan.unix;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.FileChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Opens up a {@link FileDescriptor} received in a message over {@code unix://} (the sender put a
 * {@code FileDescriptor} or a socket in it): the receiver holds the very same open file or socket,
 * no bytes were copied. Use {@code new FileInputStream(fd)} for a file, or these helpers.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /** The received descriptor as a socket (it was a socket on the sending side). */
    public static Socket asSocket(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.using(fd).as(Socket.class);
    }

    /** The received descriptor as a file channel (it was an open file on the sending side). */
    public static FileChannel asFileChannel(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.using(fd).as(FileChannel.class);
    }
}
