package io.libchan;

import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipedByteStream;

/**
 * An in-memory duplex byte stream, Go's {@code net.Pipe} for libchan messages: what one end
 * writes the other reads. Keep {@link #local()} and put {@link #remote()} into a message; over a
 * network the peer then gets a stream whose bytes reach {@code local()} and the other way round.
 * Each direction buffers up to 64 KiB before a write blocks.
 */
public final class BytePipe {
    private static final int BUFFER = 64 * 1024;
    private final PipedByteStream local;
    private final PipedByteStream remote;

    private BytePipe() {
        ByteBufferPipe toRemote = new ByteBufferPipe(BUFFER);
        ByteBufferPipe toLocal = new ByteBufferPipe(BUFFER);
        this.local = new PipedByteStream(toLocal, toRemote);
        this.remote = new PipedByteStream(toRemote, toLocal);
        PipedByteStream.pair(local, remote);
    }

    public static BytePipe create() {
        return new BytePipe();
    }

    /** The end this side keeps. */
    public ByteStream local() {
        return local;
    }

    /** The end to give away (send in a message). */
    public ByteStream remote() {
        return remote;
    }
}
