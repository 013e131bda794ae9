package io.libchan;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A duplex byte stream that can travel inside a message, like a Go {@code io.ReadWriteCloser}:
 * a file, a raw socket, a log tail. Over a network it is one stream of the session; in memory
 * it is one end of a {@link BytePipe}.
 *
 * <p>{@link #input()} reads what the other end writes, and returns -1 once the other end closed its
 * output. {@link #output()} writes to the other end; closing it (or {@link #closeWrite()}) is a
 * half-close: the other end sees end-of-stream and may still write back. Reads block until bytes
 * arrive (cheap on virtual threads); writes block when the other end's buffer or flow-control
 * window is full. The input and the output may each be used by one thread at a time, the two
 * concurrently. A lost connection surfaces as an {@link java.io.IOException} whose cause is a
 * {@link ConnectionLostException}.
 */
public interface ByteStream extends Closeable {

    /** The bytes the other end writes. */
    InputStream input();

    /** The bytes to send to the other end; {@code close()} on it is a half-close. */
    OutputStream output();

    /** Half-close: no more writes; the other end reads end-of-stream. Idempotent. */
    void closeWrite();

    /** Closes both directions; unread bytes are discarded. Idempotent; never throws. */
    @Override
    void close();
}
