package io.libchan.internal.session;

import io.libchan.internal.queue.ReadAssist;
import java.io.FileDescriptor;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/**
 * The byte connection under a session (a socket, a TLS socket, a unix socket, a WebSocket, an
 * HTTP/2 stream), seen from the writing side; the reading side pushes bytes into
 * {@link SpdySession#onBytes}. Writes come from one thread at a time (the {@link FrameWriter}
 * serialises them), frame by frame, so a message-oriented wire can send each frame whole.
 */
public interface Wire {

    /**
     * Writes one whole SPDY frame: {@code head}, then {@code payload[off..off+len)} if payload is not
     * null. May buffer until {@link #flush()}. {@code fds}, when not empty, must travel with this
     * frame's bytes (SCM_RIGHTS); only a wire that {@link #canPassFileDescriptors()} gets them.
     * A frame under 16 KiB ({@code FrameWriter.LARGE_FRAME}) is copied or written before this returns,
     * never kept: its payload may lie in a codec's buffer that holds the next message right after.
     */
    void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException;

    /**
     * As {@link #writeFrame(byte[], byte[], int, int, FileDescriptor[])} for a frame whose payload is
     * {@code payload}'s remaining bytes (a gateway's direct read buffer), with no descriptors. Neither
     * {@code head} nor the buffer is kept: their bytes are written or copied before this returns, and
     * the buffer's position is left as it was. This default copies both into arrays of their own.
     */
    default void writeFrame(byte[] head, java.nio.ByteBuffer payload) throws IOException {
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        writeFrame(head.clone(), copy, 0, copy.length, FrameWriter.NO_FDS);
    }

    /** Pushes buffered frames to the peer. */
    void flush() throws IOException;

    /**
     * True when, on the calling thread, {@link #writeFrame} never blocks and {@link #tryFlush()}
     * writes without blocking, so the connection's reader may flush its own batch.
     */
    default boolean writesWithoutBlocking() {
        return false;
    }

    /**
     * Writes what the connection takes now, without blocking; true when nothing is left buffered
     * (the rest goes with the next {@link #flush()}). Only for {@link #writesWithoutBlocking()} wires.
     */
    default boolean tryFlush() throws IOException {
        throw new UnsupportedOperationException(describe() + " cannot write without blocking");
    }

    /**
     * True when the reader bounds each wait for input by {@link SpdySession#lazyWriteDeadline()}
     * and then calls {@link SpdySession#flushLazyWrites()}: frames the reader queues lazily then
     * need no timer. Only for wires that {@link #writesWithoutBlocking()} on the reader's thread.
     */
    default boolean readerFlushesLazyWrites() {
        return false;
    }

    /**
     * False when the transport feeds {@link SpdySession#onBytes} from an I/O thread that serves
     * other connections too: the session then never pauses its reader (a peer that overruns its
     * flow-control windows fails the session instead) and finishes ending off that thread.
     */
    default boolean readerMayBlock() {
        return true;
    }

    /**
     * True when the connection's reader, instead of blocking or failing, pauses reading while the
     * session may not take more input ({@link SpdySession#readingAllowed()}) and goes on when the
     * session calls back ({@link SpdySession#whenReadingAllowed}).
     */
    default boolean pausesReading() {
        return false;
    }

    /**
     * Where write work for this connection that must not block may be posted, or null: a wire
     * with one never blocks in {@link #tryFlush()}, and when the socket did not take everything it
     * reports later that it is writable again ({@link SpdySession#onWritable()}) instead of
     * leaving the rest to a blocking {@link #flush()}.
     */
    default java.util.concurrent.Executor ioExecutor() {
        return null;
    }

    /**
     * The I/O thread that feeds this connection to its session (and serves other connections too),
     * on which nothing the session does blocks ({@link #onIoThread()} is true there), or null:
     * code that must not block drives the session's byte streams there ({@link DirectByteStream}).
     * Defaults to {@link #ioExecutor()}; a wire with a reader thread but no {@link #ioExecutor()}
     * (its writes are not driven by that thread's readiness) names it here.
     */
    default java.util.concurrent.Executor readerThread() {
        return ioExecutor();
    }

    /** True on the I/O thread that reads this connection (and others): it must never block. */
    default boolean onIoThread() {
        return false;
    }

    /**
     * Runs {@code task} on the connection's I/O thread at {@code deadlineNanos}
     * ({@link System#nanoTime()} scale). Only for wires with an {@link #ioExecutor()}.
     */
    default void scheduleOnIoThread(long deadlineNanos, Runnable task) {
        throw new UnsupportedOperationException(describe() + " has no I/O thread");
    }

    /**
     * What lets threads waiting for a message on a channel of this connection read it while they
     * wait, or null when only the connection's reader reads (the default).
     */
    default ReadAssist readAssist() {
        return null;
    }

    /**
     * True while bytes wait to go out because the socket does not take them (the peer does not
     * read, or reads slowly): back-pressure, not a dead peer, so the keep-alive does not give up
     * on it meanwhile (a dead host is TCP's to report).
     */
    default boolean outputBlocked() {
        return false;
    }

    /**
     * Bytes handed to the wire that the socket has not taken yet: a frame writer that never blocks
     * counts them toward its high-water mark, so senders still feel a peer that does not read.
     */
    default long backlogBytes() {
        return 0;
    }

    /** Closes the connection (both directions); unblocks the reader. Idempotent. */
    void close();

    /** The peer's authenticated identity, if the wire knows one (TLS client certificate, HTTP principal). */
    default Optional<Principal> peerPrincipal() {
        return Optional.empty();
    }

    /** The peer's verified TLS certificate chain, its own first; empty without one. */
    default java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return java.util.List.of();
    }

    /** True on a unix socket that can attach file descriptors to frames. */
    default boolean canPassFileDescriptors() {
        return false;
    }

    /**
     * The file descriptor behind {@code value} (a {@code FileDescriptor}, or a socket this wire knows
     * how to open up), if this wire can pass it.
     */
    default Optional<FileDescriptor> descriptorOf(Object value) {
        return Optional.empty();
    }

    /**
     * From now on, ends the wire's records (TLS) only between frames, so that a frame that fits one
     * record is never split across two: a jschan peer takes each record's piece of a DATA frame for
     * a whole frame. Any thread. Returns the largest frame, header included, that one record holds,
     * or 0 when the wire has no records.
     */
    default int alignRecordsToFrames() {
        return 0;
    }

    /** The protocol the wire negotiated (ALPN), e.g. {@code spdy/3.1}, if any. */
    default Optional<String> negotiatedProtocol() {
        return Optional.empty();
    }

    /** For logs and errors, e.g. {@code tcp://127.0.0.1:9323}. */
    String describe();
}
