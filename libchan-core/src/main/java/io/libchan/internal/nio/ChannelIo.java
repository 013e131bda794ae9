package io.libchan.internal.nio;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.util.Optional;

/**
 * The bytes of one connection over a non-blocking {@link SocketChannel}: as they are on the socket
 * (this class), through TLS ({@link TlsIo}), or with file descriptors beside them (a unix socket,
 * in libchan-unix). Never blocks. Reads come from the holder of the connection's reading role,
 * writes from the holder of its writing role ({@link NioWire}); the two may run at once.
 */
public class ChannelIo {
    protected final SocketChannel channel;

    public ChannelIo(SocketChannel channel) {
        this.channel = channel;
    }

    public final SocketChannel channel() {
        return channel;
    }

    /** Reads what is there now into {@code dst}: the bytes read, 0 when none, -1 at the end of input. */
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /**
     * True when bytes already taken off the socket wait inside this object (a TLS record decrypted
     * only in part): the reader must read again even though the socket reports nothing.
     */
    public boolean hasBufferedInput() {
        return false;
    }

    /**
     * Writes what the connection takes now: first what an earlier call left inside this object,
     * then from {@code src}. True when everything, {@code src} included, is on the socket.
     */
    public boolean write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@link #write(ByteBuffer[])} takes several buffers in one go (a plain socket; TLS
     * wraps them into its records). False where each write needs framing of its own (a WebSocket
     * frame, descriptors riding on its first byte): the caller joins the buffers first.
     */
    public boolean writesGathered() {
        return getClass() == ChannelIo.class;
    }

    /**
     * As {@link #write(ByteBuffer)} for the bytes of {@code srcs} in order, in gathering writes;
     * only where {@link #writesGathered()}.
     */
    public boolean write(ByteBuffer[] srcs) throws IOException {
        ByteBuffer last = srcs[srcs.length - 1];
        while (last.hasRemaining()) {
            if (channel.write(srcs) == 0) {
                return false;
            }
        }
        return true;
    }

    /** True when an earlier {@link #write} left bytes inside this object (TLS records not yet sent). */
    public boolean hasPendingOutput() {
        return false;
    }

    /**
     * Drives a handshake (TLS) as far as it goes without blocking.
     *
     * @return the interest ops it waits for ({@code OP_READ}, {@code OP_WRITE}), or 0 once done
     */
    public int handshake() throws IOException {
        return 0;
    }

    /** Descriptors to send with the next bytes written (unix sockets that pass them). */
    public void attach(FileDescriptor[] fds) throws IOException {
        throw new IOException("this connection cannot pass file descriptors");
    }

    /** Descriptors that came with the bytes of the last read, or null. */
    public FileDescriptor[] receivedDescriptors() throws IOException {
        return null;
    }

    public Optional<Principal> peerPrincipal() {
        return Optional.empty();
    }

    /** The peer's verified TLS certificate chain; a plain socket has none. */
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return java.util.List.of();
    }

    /** See {@link io.libchan.internal.session.Wire#alignRecordsToFrames()}; a plain socket has no records: 0. */
    public int alignRecordsToFrames() {
        return 0;
    }

    public Optional<String> negotiatedProtocol() {
        return Optional.empty();
    }

    /** Closes the socket; a read or write in progress fails. Idempotent. */
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
