package io.libchan.undertow.internal.ws;

import io.libchan.internal.session.MessageBatch;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.FileDescriptor;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * The server side of a {@code libchan.spdy3} WebSocket, seen as a {@link Wire}: the whole SPDY frames
 * of a write batch go out as one binary message ({@link MessageBatch}, PROTOCOL.md section 13.3).
 * The session is fed on the connection's I/O thread ({@link SpdyMessageFeeder}), which serves other
 * connections too, so this wire promises what such a reader needs: it pauses reading instead of
 * blocking, and it has an I/O thread ({@link #ioExecutor()}) on which nothing it does blocks.
 *
 * <p>Writes: frames are gathered until {@link #flush()} or {@link #tryFlush()}, which hand the
 * message to {@link IoThreadSends} (sent at once on the I/O thread, queued for it from elsewhere)
 * and never wait for it to be written; so {@link #tryFlush()} always has everything handed over
 * and there is nothing for {@link SpdySession#onWritable()} to do. A slow peer is felt through the
 * {@link SendWindow}: {@link #flush()}, which only application threads call, blocks while more
 * than {@value SendWindow#MAX_IN_FLIGHT} bytes are unwritten, and the reader pauses while they are
 * ({@link #outputBacklogged()}). Writes come from one thread at a time (the session's frame writer).
 *
 * <p>{@link #close()} never blocks: the session's last frames go out first (for at most the drain
 * timeout), then a close frame ({@link ServerClose}).
 */
final class UndertowWebSocketWire implements Wire {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final WebSocketChannel channel;
    private final XnioIoThread io;
    private final Principal principal;
    private final String description;
    private final long lingerNanos;
    private final MessageBatch batch = new MessageBatch(); // the session writer's own
    private final IoThreadSends sends;
    private volatile SpdySession session;
    private volatile Runnable onClose = () -> { };
    private volatile boolean closing;
    private long closeDeadline; // I/O thread only
    private boolean closed;     // I/O thread only

    UndertowWebSocketWire(WebSocketChannel channel, Principal principal, String description, Duration linger) {
        this.channel = channel;
        this.io = channel.getIoThread();
        this.principal = principal;
        this.description = description;
        this.lingerNanos = linger.toNanos();
        this.sends = new IoThreadSends(channel);
    }

    /** The session this wire carries, and what to run (any thread) once it closes the wire. */
    void attach(SpdySession s, Runnable whenClosing) {
        session = s;
        onClose = whenClosing;
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        batch.write(head, payload, off, len, sends::send);
    }

    /** Hands the batch over; an application thread then waits while too much is unwritten. */
    @Override
    public void flush() throws IOException {
        batch.sendTo(sends::send);
        if (sends.onIoThread()) {
            sends.window().check();
        } else {
            sends.window().awaitRoom();
        }
    }

    @Override
    public boolean writesWithoutBlocking() {
        return true;
    }

    /** Hands the batch over without waiting: nothing is ever left for a later flush. */
    @Override
    public boolean tryFlush() throws IOException {
        batch.sendTo(sends::send);
        sends.window().check();
        return true;
    }

    /** True while more than {@value SendWindow#MAX_IN_FLIGHT} bytes wait to be written: the reader pauses. */
    boolean outputBacklogged() {
        return sends.window().full();
    }

    /** Runs {@code task} once the unwritten bytes are down to half the window (on the I/O thread, or here if they are). */
    void whenOutputDrained(Runnable task) {
        sends.window().whenDrained(task);
    }

    @Override
    public boolean readerMayBlock() {
        return false;
    }

    @Override
    public boolean pausesReading() {
        return true;
    }

    @Override
    public Executor ioExecutor() {
        return io;
    }

    @Override
    public boolean onIoThread() {
        return sends.onIoThread();
    }

    /** The reader is the I/O thread, which flushes lazy frames with a timer of its own ({@link #scheduleOnIoThread}). */
    @Override
    public boolean readerFlushesLazyWrites() {
        return true;
    }

    @Override
    public void scheduleOnIoThread(long deadlineNanos, Runnable task) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        try {
            io.executeAfter(task, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the I/O thread is gone: the connection with it
        }
    }

    /**
     * Closes the connection once the session's last frames are handed over: on the I/O thread, the
     * frames the session still has queued are written, then a close frame follows them. A sender
     * still holding the session's writer is waited for, for at most the drain timeout. Never blocks;
     * idempotent.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        onClose.run();
        try {
            io.execute(this::closeOnIoThread);
        } catch (RejectedExecutionException e) {
            IoUtils.safeClose(channel); // the I/O thread is gone
        }
    }

    private void closeOnIoThread() {
        if (closed) {
            return;
        }
        if (closeDeadline == 0) {
            closeDeadline = System.nanoTime() + lingerNanos;
        }
        SpdySession s = session;
        if (s != null) {
            s.onWritable(); // frames still queued in the session's writer come here first
            if (s.hasQueuedOutput() && System.nanoTime() - closeDeadline < 0) {
                try {
                    io.executeAfter(this::closeOnIoThread, RETRY_NANOS, TimeUnit.NANOSECONDS); // a sender holds the writer
                    return;
                } catch (RejectedExecutionException e) {
                    // the I/O thread is stopping: close now
                }
            }
        }
        closed = true;
        sends.thenRun(() -> ServerClose.gracefully(channel)); // after the frames already handed over
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public String describe() {
        return description;
    }
}
