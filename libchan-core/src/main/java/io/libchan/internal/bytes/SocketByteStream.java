package io.libchan.internal.bytes;

import io.libchan.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A connected socket seen as a {@link ByteStream}: its streams are the socket's, {@code closeWrite()}
 * is its half-close ({@code shutdownOutput}) and {@code close()} closes it. Used where a socket
 * travels as bytes (a transport that cannot pass its descriptor) and where a socket handed over by
 * the gateway becomes the tunnel. Thread-safety is the socket's.
 */
public final class SocketByteStream implements ByteStream {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** @throws IOException when the socket is not connected (or closed) */
    public SocketByteStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** The socket's channel, when it has one (a socket opened by a channel, or a descriptor junixsocket received). */
    public java.util.Optional<java.nio.channels.SocketChannel> channel() {
        return java.util.Optional.ofNullable(socket.getChannel());
    }

    @Override
    public InputStream input() {
        return in;
    }

    @Override
    public OutputStream output() {
        return out;
    }

    @Override
    public void closeWrite() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // closed already: nothing more to end
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
