package io.libchan.internal.bytes;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one {@link ByteBufferPipe}; {@code close()} is the writer's half-close. */
public final class PipeOutputStream extends OutputStream {
    private final ByteBufferPipe pipe;

    public PipeOutputStream(ByteBufferPipe pipe) {
        this.pipe = pipe;
    }

    @Override
    public void write(int b) throws IOException {
        pipe.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        pipe.write(b, off, len);
    }

    @Override
    public void close() {
        pipe.closeWrite();
    }
}
