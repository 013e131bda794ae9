package io.libchan.unix.internal;

import io.libchan.internal.nio.ChannelIo;
import io.libchan.internal.nio.DescriptorPassing;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * A unix socket's bytes with file descriptors beside them (SCM_RIGHTS, junixsocket): descriptors
 * attached before a write ride on its first byte, descriptors that came with a read are handed to
 * the session before the bytes they came with.
 */
final class UnixIo extends ChannelIo implements DescriptorPassing {
    private final AFUNIXSocketChannel unix;

    UnixIo(AFUNIXSocketChannel channel) {
        super(channel);
        this.unix = channel;
        channel.setAncillaryReceiveBufferSize(4096);
    }

    @Override
    public void attach(FileDescriptor[] fds) throws IOException {
        unix.setOutboundFileDescriptors(fds);
    }

    @Override
    public FileDescriptor[] receivedDescriptors() throws IOException {
        return unix.getReceivedFileDescriptors();
    }

    @Override
    public Optional<FileDescriptor> descriptorOf(Object value) {
        try {
            if (value instanceof FileDescriptor && ((FileDescriptor) value).valid()) {
                return Optional.of((FileDescriptor) value);
            }
            if (value instanceof AFUNIXSocket) {
                return Optional.of(((AFUNIXSocket) value).getFileDescriptor());
            }
            if (value instanceof AFUNIXSocketChannel) {
                return Optional.of(((AFUNIXSocketChannel) value).getFileDescriptor());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return JdkSockets.descriptorOf(value);
    }
}
