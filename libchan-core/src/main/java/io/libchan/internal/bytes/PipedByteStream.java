package io.libchan.internal.bytes;

import io.libchan.ByteStream;
import java.io.InputStream;
import java.io.OutputStream;

/** One end of an in-memory {@link io.libchan.BytePipe}: reads one buffer, writes the other. */
public final class PipedByteStream implements ByteStream {
    private final ByteBufferPipe in;
    private final ByteBufferPipe out;
    private final PipeInputStream input;
    private final PipeOutputStream output;

    public PipedByteStream(ByteBufferPipe in, ByteBufferPipe out) {
        this.in = in;
        this.out = out;
        this.input = new PipeInputStream(in);
        this.output = new PipeOutputStream(out);
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void closeWrite() {
        out.closeWrite();
    }

    @Override
    public void close() {
        out.closeWrite();
        in.closeRead();
    }
}
