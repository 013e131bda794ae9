package io.libchan.unix.internal;

import io.libchan.internal.session.SpdySession;
import io.libchan.internal.transport.SocketWire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * A {@link SocketWire} on a unix socket that can pass file descriptors: a frame that carries
 * descriptors is written on its own, with them attached (SCM_RIGHTS); received descriptors are
 * handed to the session after each read, before the bytes they came with.
 */
final class UnixWire extends SocketWire {
    private final AFUNIXSocket unix;
    private final OutputStream raw;

    UnixWire(AFUNIXSocket socket, String description) throws IOException {
        super(socket, description);
        this.unix = socket;
        this.raw = socket.getOutputStream();
        socket.setAncillaryReceiveBufferSize(4096);
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        if (fds.length == 0) {
            super.writeFrame(head, payload, off, len, fds);
            return;
        }
        super.flush(); // the descriptors must ride on this frame's first byte, not on earlier ones
        byte[] frame = new byte[head.length + (payload == null ? 0 : len)];
        System.arraycopy(head, 0, frame, 0, head.length);
        if (payload != null) {
            System.arraycopy(payload, off, frame, head.length, len);
        }
        unix.setOutboundFileDescriptors(fds);
        raw.write(frame);
        raw.flush();
    }

    @Override
    public boolean canPassFileDescriptors() {
        return true;
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
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Hands the descriptors of the last read to the session. */
    void deliverReceived(SpdySession session) throws IOException {
        FileDescriptor[] fds = unix.getReceivedFileDescriptors();
        if (fds != null && fds.length > 0) {
            session.onFileDescriptors(fds);
        }
    }
}
