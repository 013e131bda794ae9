package io.libchan.internal.session;

import io.libchan.ByteStream;
import io.libchan.internal.bytes.ByteBufferPipe;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A byte stream of a session that can be driven without a thread of its own, for code that runs
 * on the session's I/O thread (the gateway's splice): inbound bytes are pushed to a sink as the
 * reader delivers them, and outbound bytes are sent only as far as the peer's window and the
 * connection take them now, with a callback when they take more. Flow control is unchanged: the
 * peer gets credit back only for the bytes the sink took.
 */
public interface DirectByteStream extends ByteStream {
    /** The I/O thread that reads this stream's connection ({@link Wire#readerThread()}), when it has one; else empty. */
    Optional<Executor> ioThread();

    /** From now on, pushes inbound bytes (those buffered first) to {@code sink}; see {@link ByteBufferPipe#pushTo}. */
    void pushInboundTo(ByteBufferPipe.Sink sink);

    /** The sink takes more again: pushes what waits. Any thread. */
    void resumeInbound();

    /**
     * Takes up to {@code max} bytes of send window now, never waiting; 0 when none (then
     * {@link #whenSendable} tells when).
     *
     * @throws io.libchan.LibchanException when the stream can no longer send
     */
    int reserveSend(int max);

    /**
     * Sends {@code b[off..off+len)} (the array is kept) within {@code reserved} bytes of
     * {@link #reserveSend}, giving the rest back. Never waits; never blocks on the I/O thread.
     */
    void sendReserved(byte[] b, int off, int len, int reserved);

    /**
     * As {@link #sendReserved(byte[], int, int, int)} for {@code payload}'s remaining bytes, which
     * are written or copied before this returns (the buffer is not kept, its position not moved).
     * On the connection's I/O thread they usually leave straight from the buffer.
     */
    void sendReserved(java.nio.ByteBuffer payload, int reserved);

    /** Runs {@code ready} once the stream may send again (at once if it may now); it must not block. */
    void whenSendable(Runnable ready);
}
