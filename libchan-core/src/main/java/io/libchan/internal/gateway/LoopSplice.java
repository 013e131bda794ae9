package io.libchan.internal.gateway;

import io.libchan.ByteStream;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipedByteStream;
import io.libchan.internal.nio.IoLoop;
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
 * Splices a session's byte stream and a socket on the session's own I/O thread, with no thread
 * of its own: the socket is registered (non-blocking) on the loop that reads the session. What
 * the peer sends is written to the socket by the session's reader as it decodes the DATA frame,
 * straight from the read buffer; what the socket does not take waits in the stream's buffer (the
 * peer gets no window credit for it, so a slow target holds the peer back) and goes when the loop
 * reports the socket writable. What the socket delivers is read by the loop only as far as the
 * peer's window and the connection's output take it now, and sent as a DATA frame at once; when
 * they do not, the loop stops reading the socket until they do (a slow client holds the target
 * back through TCP). Half-closes, resets and {@link #abort()} behave as in {@link Splice}.
 *
 * <p>Costs per tunnel: no thread; a selection key; the stream's buffer only while the target is
 * slower than the peer. Reads use one 256 KiB direct buffer per I/O thread.
 */
final class LoopSplice implements Tunnel, IoLoop.Handler, ByteBufferPipe.Sink {
    /**
     * The most one read of the socket takes, sent as one DATA frame (the session's largest): a bulk
     * transfer costs fewer system calls and frames on both sides than with 64 KiB reads (measured
     * in bench/README.md); a small answer is read and sent at its own size.
     */
    private static final int CHUNK = 256 * 1024;
    /** Reads per readiness event: one busy tunnel does not starve the loop's other connections. */
    private static final int READS_PER_EVENT = 16;
    /**
     * Direct: the socket reads into it with no copy through the JDK's own direct buffer; each read
     * is then copied once, into the frame's array (which the connection writes from, NioWire).
     */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));

    private final DirectByteStream stream;
    private final SocketChannel socket;
    private final IoLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger(2);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile SelectionKey key;
    /** Writing to the socket failed: what still comes from the stream is dropped while the tunnel closes. */
    private volatile boolean writeFailed;
    /** The socket's input ended (loop thread only). */
    private boolean socketEnded;
    private volatile long toSocket;   // written under the stream buffer's lock, one writer at a time
    private volatile long fromSocket; // loop thread only

    private LoopSplice(DirectByteStream stream, SocketChannel socket, IoLoop loop) {
        this.stream = stream;
        this.socket = socket;
        this.loop = loop;
    }

    /**
     * A splice of {@code stream} (a session's byte stream, or the local end of a {@link
     * io.libchan.BytePipe} spliced onto one) and {@code socket} on the session's I/O thread, if the
     * session has one that can take the socket; else empty (a {@link Splice} with threads will do).
     */
    static Optional<LoopSplice> of(ByteStream stream, SocketChannel socket) {
        ByteStream direct = stream instanceof PipedByteStream
                ? ((PipedByteStream) stream).networkStream().orElse(stream) : stream;
        if (!(direct instanceof DirectByteStream)) {
            return Optional.empty();
        }
        Executor io = ((DirectByteStream) direct).ioThread().orElse(null);
        if (!(io instanceof IoLoop) || !((IoLoop) io).accepts(socket)) {
            return Optional.empty();
        }
        return Optional.of(new LoopSplice((DirectByteStream) direct, socket, (IoLoop) io));
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
        stream.pushInboundTo(this);
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

    /** DATA from the peer (the session's reader, or the loop resuming): as much as the socket takes now. */
    @Override
    public int take(byte[] b, int off, int len) {
        if (closed.get() || writeFailed) {
            return len; // the tunnel is closing: dropped
        }
        try {
            int n = socket.write(ByteBuffer.wrap(b, off, len));
            toSocket += n;
            if (n < len) {
                interest(SelectionKey.OP_WRITE, true); // the rest waits in the stream's buffer
            }
            return n;
        } catch (IOException e) {
            writeFailed = true;
            onLoop(this::abort);
            return len;
        }
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

    @Override
    public void ready(int readyOps) {
        if (closed.get()) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            interest(SelectionKey.OP_WRITE, false);
            stream.resumeInbound();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            readSocket();
        }
    }

    /** Loop thread: reads what the peer's window and the connection take now, each read sent as one DATA frame. */
    private void readSocket() {
        ByteBuffer buf = READ_BUFFER.get();
        for (int i = 0; i < READS_PER_EVENT && !closed.get() && !socketEnded; i++) {
            int room;
            try {
                room = stream.reserveSend(CHUNK);
            } catch (RuntimeException e) {
                abort(); // the stream was reset or its session is gone
                return;
            }
            if (room == 0) {
                interest(SelectionKey.OP_READ, false); // TCP holds the target back meanwhile
                stream.whenSendable(() -> onLoop(() -> interest(SelectionKey.OP_READ, true)));
                return;
            }
            buf.clear().limit(room);
            int n;
            try {
                n = socket.read(buf);
            } catch (IOException e) {
                stream.sendReserved(null, 0, 0, room);
                abort();
                return;
            }
            if (n <= 0) {
                stream.sendReserved(null, 0, 0, room);
                if (n < 0) {
                    socketEnded = true;
                    interest(SelectionKey.OP_READ, false);
                    stream.closeWrite();
                    directionEnded();
                }
                return;
            }
            try {
                byte[] chunk = new byte[n];
                buf.flip().get(chunk);
                stream.sendReserved(chunk, 0, n, room);
            } catch (RuntimeException e) {
                abort();
                return;
            }
            fromSocket += n;
            if (n < room) {
                return; // drained: the selector says when more comes
            }
        }
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
        stream.close();
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
}
