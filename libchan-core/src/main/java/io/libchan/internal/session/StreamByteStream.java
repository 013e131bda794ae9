package io.libchan.internal.session;

import io.libchan.ByteStream;
import io.libchan.LibchanException;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipeInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** A {@link ByteStream} over one SPDY stream: writes become DATA frames, FIN is the half-close. */
final class StreamByteStream implements DirectByteStream {
    private final SessionStream stream;
    private final ByteBufferPipe inbound;
    private final InputStream input;
    private final OutputStream output = new Output();

    StreamByteStream(SessionStream stream, ByteBufferPipe inbound) {
        this.stream = stream;
        this.inbound = inbound;
        this.input = new PipeInputStream(inbound);
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
        stream.session().finish(stream, false);
    }

    /** Both directions: our FIN, and if the peer is still writing, RST_STREAM CANCEL to stop it. */
    @Override
    public void close() {
        closeWrite();
        inbound.closeRead();
        if (!stream.remoteFinished()) {
            stream.session().resetStream(stream, io.libchan.internal.spdy.SpdyStatus.RST_CANCEL, false);
        }
    }

    @Override
    public java.util.Optional<java.util.concurrent.Executor> ioThread() {
        return java.util.Optional.ofNullable(stream.session().wire().readerThread());
    }

    @Override
    public void pushInboundTo(ByteBufferPipe.Sink sink) {
        inbound.pushTo(sink);
    }

    @Override
    public void resumeInbound() {
        inbound.resumePush();
    }

    @Override
    public int reserveSend(int max) {
        return stream.session().tryReserveSend(stream, max);
    }

    @Override
    public void sendReserved(byte[] b, int off, int len, int reserved) {
        stream.session().sendReserved(stream, b, off, len, reserved);
    }

    @Override
    public void sendReserved(java.nio.ByteBuffer payload, int reserved) {
        stream.session().sendReserved(stream, payload, reserved);
    }

    @Override
    public void whenSendable(Runnable ready) {
        stream.session().whenSendable(stream, ready);
    }

    @Override
    public String toString() {
        return "ByteStream(" + stream + ")";
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return;
            }
            try {
                stream.session().sendBytes(stream, b, off, len);
            } catch (LibchanException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            closeWrite();
        }
    }
}
