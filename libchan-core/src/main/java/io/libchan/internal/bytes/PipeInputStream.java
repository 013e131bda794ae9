package io.libchan.internal.bytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads one {@link ByteBufferPipe}; {@code close()} is the reader's close. */
public final class PipeInputStream extends InputStream {
    private static final int TRANSFER_CHUNK = 64 * 1024;
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

    /**
     * Copies in reads of up to 64 KiB, not InputStream's 8 or 16 KiB: a byte stream echoed or
     * forwarded with {@code transferTo} then writes what arrived in as few DATA frames as it came
     * in (a Go peer writes 32 KiB frames and pays per frame it reads back).
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        java.util.Objects.requireNonNull(out, "out");
        byte[] buffer = new byte[TRANSFER_CHUNK];
        long total = 0;
        int n;
        while ((n = pipe.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
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
