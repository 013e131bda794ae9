package io.libchan.unix;

import io.libchan.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;

/** A connected socket seen as a {@link ByteStream}: {@code closeWrite()} is its half-close. */
final class SocketStream implements ByteStream {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    SocketStream(Socket socket) {
        this.socket = socket;
        try {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
