package io.libchan.internal.gateway;

import io.libchan.ByteStream;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipedByteStream;
import io.libchan.internal.nio.IoLoop;
import io.libchan.internal.nio.IoLoopGroup;
import io.libchan.internal.session.DirectByteStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splices a session's byte stream and a socket with no thread of its own. Two threads take part,
 * each an I/O thread that serves many connections: the <b>stream's thread</b>, the one that reads
 * the session (where the stream may be driven without blocking: {@link DirectByteStream#ioThread()}),
 * and the <b>socket's loop</b>, the {@link IoLoop} on which the socket is registered (non-blocking).
 * They are one and the same when the session's own loop can take the socket (tcp://, tls://,
 * unix:// on the JDK's sockets); otherwise (a WebSocket or HTTP/2 session read by Undertow's I/O
 * threads, a junixsocket session) the socket goes on a loop of the gateway's own ({@link
 * IoLoopGroup}, a few threads for every such tunnel) and the loop only watches it: each readiness
 * is handed to the stream's thread, which does the work.
 *
 * <p>What the peer sends is written to the socket by the session's reader as it decodes the DATA
 * frame, straight from the read buffer; what the socket does not take waits in the stream's buffer
 * (the peer gets no window credit for it, so a slow target holds the peer back) and goes when the
 * loop reports the socket writable. What the socket delivers is read, on the stream's thread, only
 * as far as the peer's window and the connection's output take it now, and sent as a DATA frame at
 * once; when they do not, the socket is not read until they do (a slow client holds the target
 * back through TCP). Half-closes, resets and {@link #abort()} behave as in {@link Splice}.
 *
 * <p>Costs per tunnel: no thread; a selection key; the stream's buffer only while the target is
 * slower than the peer. Reads use one 256 KiB direct buffer per thread that reads (the session's I/O
 * thread), which each chunk is sent from.
 */
final class LoopSplice implements Tunnel, IoLoop.Handler, ByteBufferPipe.Sink {
    /**
     * The most one read of the socket takes, sent as one DATA frame (the session's largest): a bulk
     * transfer costs fewer system calls and frames on both sides than with 64 KiB reads (measured
     * in bench/README.md); a small answer is read and sent at its own size.
     */
    static final int CHUNK = 256 * 1024;
    /** Reads per readiness event: one busy tunnel does not starve the loop's other connections. */
    private static final int READS_PER_EVENT = 16;
    /** The gateway loops' name prefix: {@code libchan-gateway-io-N}. */
    private static final String LOOP_PREFIX = "libchan-gateway-io-";
    private static final java.util.concurrent.ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };
    /** The gateway loops of the library's own daemon threads, shared by every gateway that names no thread factory. */
    static final IoLoopGroup.Kind OWN_LOOPS = loops(null);
    /**
     * Direct: the socket reads into it with no copy through the JDK's own direct buffer, and the
     * connection writes the DATA frame from it (NioWire's gathering write): no copy and no array
     * per chunk in this JVM, unless the connection cannot take the frame now (then it copies it).
     */
    static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

    private final DirectByteStream stream;
    private final SocketChannel socket;
    /** Where the socket is registered. */
    private final IoLoop loop;
    /** Where the stream is driven: {@link #loop} itself, or the session's I/O thread. */
    private final Executor streamThread;
    /** The loop was leased for this tunnel alone (a gateway loop): released once it is done. */
    private final boolean leased;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger(2);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile SelectionKey key;
    /** Writing to the socket failed: what still comes from the stream is dropped while the tunnel closes. */
    private volatile boolean writeFailed;
    /** The socket's input ended (the reading thread only: reads are never run twice at once). */
    private boolean socketEnded;
    private volatile long toSocket;   // written under the stream buffer's lock, one writer at a time
    private volatile long fromSocket; // the reading thread only

    private LoopSplice(DirectByteStream stream, SocketChannel socket, IoLoop loop, Executor streamThread, boolean leased) {
        this.stream = stream;
        this.socket = socket;
        this.loop = loop;
        this.streamThread = streamThread;
        this.leased = leased;
    }

    /** The gateway loops whose threads {@code threads} makes (null: the library's daemon threads). */
    static IoLoopGroup.Kind loops(java.util.concurrent.ThreadFactory threads) {
        return threads == null && OWN_LOOPS != null ? OWN_LOOPS
                : new IoLoopGroup.Kind(java.nio.channels.spi.SelectorProvider.provider(), threads == null ? DAEMONS : threads,
                        LOOP_PREFIX);
    }

    /**
     * A splice of {@code stream} (a session's byte stream, or the local end of a {@link
     * io.libchan.BytePipe} spliced onto one) and {@code socket} without threads of its own: on the
     * session's I/O thread if its loop can take the socket, else with the socket on a loop of
     * {@code loops} (leased now, released when the splice is done). Empty when the session has
     * no I/O thread to drive the stream on (a {@link Splice} with threads will do).
     */
    static Optional<LoopSplice> of(ByteStream stream, SocketChannel socket, IoLoopGroup.Kind loops) {
        ByteStream direct = stream instanceof PipedByteStream
                ? ((PipedByteStream) stream).networkStream().orElse(stream) : stream;
        if (!(direct instanceof DirectByteStream)) {
            return Optional.empty();
        }
        Executor io = ((DirectByteStream) direct).ioThread().orElse(null);
        if (io == null) {
            return Optional.empty();
        }
        if (io instanceof IoLoop && ((IoLoop) io).accepts(socket)) {
            return Optional.of(new LoopSplice((DirectByteStream) direct, socket, (IoLoop) io, io, false));
        }
        IoLoop own;
        try {
            own = IoLoopGroup.lease(loops);
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty(); // no selector to be had (out of descriptors): threads will do
        }
        return Optional.of(new LoopSplice((DirectByteStream) direct, socket, own, io, true));
    }

    /** Starts moving bytes; returns at once. */
    void start() {
        try {
            socket.configureBlocking(false);
            loop.execute(this::register);
        } catch (IOException | RejectedExecutionException e) {
            abort();
        }
    }

    private void register() {
        if (closed.get()) {
            return;
        }
        try {
            key = loop.register(socket, SelectionKey.OP_READ, this);
        } catch (IOException | RuntimeException e) {
            abort();
            return;
        }
        // the bytes already buffered are pushed (and credited) at once: on the stream's thread
        driveStream(() -> stream.pushInboundTo(this));
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public long bytesToTarget() {
        return toSocket;
    }

    @Override
    public long bytesFromTarget() {
        return fromSocket;
    }

    // ------------------------------------------------------------------ stream to socket

    /** DATA from the peer (the session's reader, or a resume): as much as the socket takes now. */
    @Override
    public int take(byte[] b, int off, int len) {
        if (closed.get() || writeFailed) {
            return len; // the tunnel is closing: dropped
        }
        try {
            return (int) wrote(socket.write(ByteBuffer.wrap(b, off, len)), len);
        } catch (IOException e) {
            return (int) writeFailed(len);
        }
    }

    /** What waited in the stream's buffer, segment by segment: in one gathering write. */
    @Override
    public long take(ByteBuffer[] parts, int count) {
        long len = 0;
        for (int i = 0; i < count; i++) {
            len += parts[i].remaining();
        }
        if (closed.get() || writeFailed) {
            return len; // the tunnel is closing: dropped
        }
        try {
            return wrote(socket.write(parts, 0, count), len);
        } catch (IOException e) {
            return writeFailed(len);
        }
    }

    /** {@code n} of {@code len} bytes went to the socket; the rest waits in the stream's buffer for OP_WRITE. */
    private long wrote(long n, long len) {
        toSocket += n;
        if (n < len) {
            interest(SelectionKey.OP_WRITE, true);
        }
        return n;
    }

    /** The target's socket failed a write: the tunnel ends; the bytes count as taken (dropped). */
    private long writeFailed(long len) {
        writeFailed = true;
        onLoop(this::abort);
        return len;
    }

    /** The peer's FIN, every byte before it written: the target gets ours. */
    @Override
    public void ended() {
        onLoop(() -> {
            if (closed.get()) {
                return;
            }
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                abort();
                return;
            }
            directionEnded();
        });
    }

    /** A reset, or the session lost: both ends close at once. */
    @Override
    public void failed(Exception e) {
        onLoop(this::abort);
    }

    // ------------------------------------------------------------------ socket to stream

    /** The loop: the socket is ready. Shared with the session, the work is done here; else on the stream's thread. */
    @Override
    public void ready(int readyOps) {
        if (closed.get()) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            interest(SelectionKey.OP_WRITE, false);
            driveStream(stream::resumeInbound);
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            if (streamThread == loop) {
                readSocket();
            } else {
                // not watched while the stream's thread reads it: one read task at a time
                interest(SelectionKey.OP_READ, false);
                onStream(() -> {
                    if (readSocket()) {
                        interest(SelectionKey.OP_READ, true);
                    }
                });
            }
        }
    }

    /**
     * The stream's thread: reads what the peer's window and the connection take now, each read sent
     * as one DATA frame. True when the socket is to be watched again for more (it has not ended,
     * nor is it waiting for the window, which watches it again itself).
     */
    private boolean readSocket() {
        ByteBuffer buf = READ_BUFFER.get();
        for (int i = 0; i < READS_PER_EVENT && !closed.get() && !socketEnded; i++) {
            int room;
            try {
                room = stream.reserveSend(CHUNK);
            } catch (RuntimeException e) {
                abort(); // the stream was reset or its session is gone
                return false;
            }
            if (room == 0) {
                interest(SelectionKey.OP_READ, false); // TCP holds the target back meanwhile
                stream.whenSendable(() -> onLoop(() -> interest(SelectionKey.OP_READ, true)));
                return false;
            }
            buf.clear().limit(room);
            int n;
            try {
                n = socket.read(buf);
            } catch (IOException e) {
                stream.sendReserved(null, 0, 0, room);
                abort();
                return false;
            }
            if (n <= 0) {
                stream.sendReserved(null, 0, 0, room);
                if (n < 0) {
                    socketEnded = true;
                    interest(SelectionKey.OP_READ, false);
                    stream.closeWrite();
                    directionEnded();
                    return false;
                }
                return true;
            }
            try {
                stream.sendReserved(buf.flip(), room); // written or copied before it returns: buf is free again
            } catch (RuntimeException e) {
                abort();
                return false;
            }
            fromSocket += n;
            if (n < room) {
                return true; // drained: the selector says when more comes
            }
        }
        return !closed.get() && !socketEnded;
    }

    // ------------------------------------------------------------------ ending

    /** Closes both ends at once, with a reset. Idempotent; any thread. */
    @Override
    public void abort() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (socket.isOpen() && socket.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException e) {
            // closing below is what matters
        }
        closeBoth();
    }

    @Override
    public void failed(Throwable error) {
        abort(); // the loop stops, or a handler of ours threw
    }

    private void directionEnded() {
        if (running.decrementAndGet() == 0 && closed.compareAndSet(false, true)) {
            closeBoth();
        }
    }

    private void closeBoth() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        if (leased) {
            // the stream's FIN or reset is written on its own thread, where the session never blocks
            onStream(stream::close);
            loop.release();
        } else {
            stream.close();
        }
        done.complete(null);
    }

    /** Turns the loop's interest in {@code op} on or off; any thread (the loop is woken for it). */
    private void interest(int op, boolean on) {
        SelectionKey k = key;
        if (k == null) {
            return;
        }
        try {
            if (on) {
                k.interestOpsOr(op);
            } else {
                k.interestOpsAnd(~op);
            }
        } catch (CancelledKeyException e) {
            return; // closed meanwhile
        }
        if (on && !loop.inLoop()) {
            loop.wakeup();
        }
    }

    /** Runs {@code task} on the loop (never inline: callers hold the stream's locks), or here once the loop is gone. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** From the loop: runs {@code task} here when the loop is the stream's thread, else on that thread. */
    private void driveStream(Runnable task) {
        if (streamThread == loop && loop.inLoop()) {
            task.run();
        } else {
            onStream(task);
        }
    }

    /** Runs {@code task} on the stream's thread (never inline), or here once that thread is gone. */
    private void onStream(Runnable task) {
        try {
            streamThread.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
