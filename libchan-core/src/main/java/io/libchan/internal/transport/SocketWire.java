package io.libchan.internal.transport;

import io.libchan.internal.session.Wire;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.Principal;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/** A {@link Wire} over a stream socket (TCP, TLS, unix). Writes are buffered and flushed per batch. */
public class SocketWire implements Wire {
    protected final Socket socket;
    private final OutputStream out;
    private final String description;

    public SocketWire(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.description = description;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        out.write(head);
        if (payload != null && len > 0) {
            out.write(payload, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        if (socket instanceof SSLSocket) {
            try {
                return Optional.of(((SSLSocket) socket).getSession().getPeerPrincipal());
            } catch (SSLPeerUnverifiedException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> negotiatedProtocol() {
        if (socket instanceof SSLSocket) {
            String p = ((SSLSocket) socket).getApplicationProtocol();
            return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return description;
    }
}
