package io.libchan.bench.net;

import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * For diagnostics only ({@link WireStats}, {@link InternalsBench}): a session's wire over a plain
 * blocking socket, read by a thread of the caller's ({@link #readLoop}), the way the library read
 * connections before its I/O threads. Writes are buffered and flushed per batch.
 */
class BlockingSocketWire implements Wire {
    private final OutputStream out;
    private final Socket socket;
    private final String description;

    BlockingSocketWire(Socket socket, String description) throws IOException {
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
    public String describe() {
        return description;
    }

    /** Reads until the connection ends, feeding the session; runs on the caller's thread. */
    static void readLoop(InputStream in, SpdySession session) {
        byte[] buf = new byte[128 * 1024];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    session.onEndOfInput();
                    return;
                }
                session.onBytes(ByteBuffer.wrap(buf, 0, n));
            }
        } catch (IOException e) {
            session.onInputFailed(e);
        }
    }
}
