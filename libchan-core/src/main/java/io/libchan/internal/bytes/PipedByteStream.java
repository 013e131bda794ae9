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
    private volatile PipedByteStream partner;
    /** The network stream this end was spliced onto both ways, or null. */
    private volatile ByteStream network;

    /** Links the two ends of one {@link io.libchan.BytePipe}. */
    public static void pair(PipedByteStream a, PipedByteStream b) {
        a.partner = b;
        b.partner = a;
    }

    /**
     * Splices this end's partner onto a network stream instead of this end: what the partner
     * writes goes to {@code networkOutput} directly, and {@code networkInput} must be fed into the
     * buffer the partner reads, {@link #inboundOfPartner()}.
     *
     * @return false when the partner already wrote (or closed): copy instead
     */
    public boolean spliceOutbound(java.io.OutputStream networkOutput) {
        PipedByteStream p = partner;
        return p != null && p.out.redirectTo(networkOutput);
    }

    /** Records that this end was spliced onto {@code stream} both ways: its partner is that stream's stand-in. */
    public void splicedTo(ByteStream stream) {
        network = stream;
    }

    /**
     * The network stream this end's partner was spliced onto both ways (this end then reads and
     * writes that stream's bytes directly), if it was.
     */
    public java.util.Optional<ByteStream> networkStream() {
        PipedByteStream p = partner;
        return java.util.Optional.ofNullable(p == null ? null : p.network);
    }

    /** The buffer the partner reads from (this end's outbound buffer). */
    public ByteBufferPipe inboundOfPartner() {
        return out;
    }

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
