package io.libchan.internal.bytes;

import java.io.IOException;
import java.io.InputStream;

/** Reads one {@link ByteBufferPipe}; {@code close()} is the reader's close. */
public final class PipeInputStream extends InputStream {
    private final ByteBufferPipe pipe;

    public PipeInputStream(ByteBufferPipe pipe) {
        this.pipe = pipe;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = pipe.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return pipe.read(b, off, len);
    }

    @Override
    public int available() {
        return pipe.available();
    }

    @Override
    public void close() {
        pipe.closeRead();
    }
}
