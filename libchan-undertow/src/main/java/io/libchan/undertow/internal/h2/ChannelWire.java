package io.libchan.undertow.internal.h2;

import io.libchan.internal.session.SessionThreads;
import io.libchan.internal.session.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One HTTP/2 stream of a tunnel seen as a {@link Wire}. The session's writer gathers frames per
 * batch and hands each batch over without waiting; the connection's I/O thread writes the batches
 * (the session's reader, which runs on that thread ({@link BodyReader}), writes its own at once).
 * When the stream takes no more (HTTP/2 flow control, or the socket), the wire waits for Undertow's
 * write listener, which runs on the I/O thread once the stream takes bytes again: no thread waits
 * for a peer that reads slowly or not at all. The session's writer blocks only while more than
 * {@value #MAX_PENDING} bytes wait (back-pressure). {@link #close()} never blocks: the body ends
 * (END_STREAM) once the backlog is out, or the stream is reset if it cannot go out within 10 s.
 *
 * <p>Only the I/O thread writes the stream: {@link #mode} says whether it is writing, waiting for
 * the stream, or idle. {@link #staging} is the session writer's own; every other field is guarded
 * by {@link #lock}, which is never held while the stream is written.
 */
final class ChannelWire implements Wire {
    private static final int BATCH = 64 * 1024;
    private static final int SMALL_BATCH = 8 * 1024;
    static final long MAX_PENDING = 1024 * 1024;
    private static final int LINGER_SECONDS = 5;

    /** The backlog's state: none, being written by the I/O thread, waiting for the stream to take more. */
    private enum Mode { IDLE, IO, WAITING }

    private final StreamSinkChannel sink;
    /** What Undertow kept back of a flush it reported done (see {@link SinkRemainder}). */
    private final SinkRemainder remainder;
    private final XnioIoThread io;
    private final Principal principal;
    private final String description;
    private final Runnable onClose;
    private volatile StreamSourceChannel source;

    private ByteBuffer staging = ByteBuffer.allocate(BATCH);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomy = lock.newCondition();
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private Mode mode = Mode.IDLE;
    private volatile boolean closing;
    /** Resets the stream if the backlog has not gone out 10 s after close; cancelled once it has. */
    private volatile java.util.concurrent.ScheduledFuture<?> resetTimer;
    private boolean ended;
    private IOException failure;

    /** @param onClose runs once, after the wire is closed (e.g. to release a pooled connection) */
    ChannelWire(StreamSinkChannel sink, StreamSourceChannel source, Principal principal, String description, Runnable onClose) {
        this.sink = sink;
        this.remainder = SinkRemainder.of(sink);
        this.io = sink.getIoThread();
        this.source = source;
        this.principal = principal;
        this.description = description;
        this.onClose = onClose;
        sink.getWriteSetter().set(ch -> onWritable()); // resumed only while the backlog waits for the stream
    }

    /**
     * For a server exchange whose handler returns while the tunnel runs: a resumed channel keeps
     * Undertow from ending the exchange when the handler returns.
     */
    void keepExchangeOpen() {
        sink.resumeWrites();
    }

    /** The body the peer's frames arrive on, once known (a client learns it with the response). */
    void readsFrom(StreamSourceChannel body) {
        source = body;
        if (isEnded()) {
            io.execute(() -> IoUtils.safeClose(body));
        }
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        put(head, 0, head.length);
        if (payload != null && len > 0) {
            put(payload, off, len);
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len > staging.remaining()) {
            handOff();
            if (len > BATCH) {
                enqueue(ByteBuffer.wrap(java.util.Arrays.copyOfRange(b, off, off + len)));
                return;
            }
        }
        staging.put(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        handOff();
    }

    private void handOff() throws IOException {
        int size = staging.position();
        if (size == 0) {
            return;
        }
        ByteBuffer batch;
        if (size <= SMALL_BATCH) {
            // a small batch (a request, a reply) is copied out and the staging buffer kept: allocating
            // (and zeroing) 64 KiB per flush was most of a round trip's CPU time
            batch = ByteBuffer.wrap(java.util.Arrays.copyOf(staging.array(), size));
            staging.clear();
        } else {
            staging.flip();
            batch = staging;
            staging = ByteBuffer.allocate(BATCH);
        }
        enqueue(batch);
    }

    private void enqueue(ByteBuffer batch) throws IOException {
        boolean start;
        lock.lock();
        try {
            while (pendingBytes > MAX_PENDING && failure == null && !closing && Thread.currentThread() != io) {
                roomy.awaitNanos(TimeUnit.SECONDS.toNanos(1));
            }
            if (failure != null) {
                throw failure;
            }
            if (closing) {
                throw new IOException("the tunnel is closed");
            }
            pending.addLast(batch);
            pendingBytes += batch.remaining();
            start = mode == Mode.IDLE;
            if (start) {
                mode = Mode.IO;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the tunnel", e);
        } finally {
            lock.unlock();
        }
        if (start) {
            if (Thread.currentThread() == io) {
                writeOnIoThread(); // the session's reader ends its batch here (BodyReader): no hand-off
            } else {
                io.execute(this::writeOnIoThread);
            }
        }
    }

    /** On the I/O thread (the session's reader): writes never wait there, see {@link #enqueue}. */
    @Override
    public boolean writesWithoutBlocking() {
        return Thread.currentThread() == io;
    }

    /** Hands the batch over; the I/O thread or a pusher owns any backlog from then on. */
    @Override
    public boolean tryFlush() throws IOException {
        handOff();
        return true;
    }

    /** The I/O thread: the session's reader ({@link BodyReader}), where the gateway drives its tunnels' streams. */
    @Override
    public Executor readerThread() {
        return io;
    }

    /** On the I/O thread nothing may block: the session queues instead, or hands the work to another thread. */
    @Override
    public boolean onIoThread() {
        return Thread.currentThread() == io;
    }

    /** The session is fed on the I/O thread ({@link BodyReader}), which serves other connections too. */
    @Override
    public boolean readerMayBlock() {
        return false;
    }

    /** {@link BodyReader} suspends reads while the session may not take more, and resumes when it may. */
    @Override
    public boolean pausesReading() {
        return true;
    }

    private ByteBuffer next() {
        lock.lock();
        try {
            return pending.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    private void written(ByteBuffer b, int n) {
        lock.lock();
        try {
            pendingBytes -= n;
            if (!b.hasRemaining()) {
                pending.pollFirst();
            }
            roomy.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the I/O thread: writes the backlog while the stream takes it, then either finds it all
     * out (mode IDLE, the listener off) or waits for the stream ({@link #waitForStream()}).
     */
    private void writeOnIoThread() {
        try {
            while (true) {
                ByteBuffer b = next();
                if (b == null) {
                    if (!flushedAll()) {
                        waitForStream();
                        return;
                    }
                    if (finishedBacklog()) {
                        sink.suspendWrites();
                        return;
                    }
                    continue;
                }
                int n = sink.write(b);
                written(b, n);
                if (n == 0) { // a frame waits for the window or the socket: the stream takes nothing more now
                    waitForStream();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException ? (IOException) e : new IOException(e.toString(), e));
        }
    }

    /**
     * Flushes the stream until Undertow has sent or queued every byte it was given: true when all
     * went out, false when a frame waits (for the socket, or for the peer's flow-control window).
     * A flush Undertow reports done may have sent only what the window allowed and kept the rest
     * ({@link SinkRemainder}): then it flushes again, which sends more or queues the rest; each
     * round uses up window, so the loop ends.
     */
    private boolean flushedAll() throws IOException {
        while (sink.flush()) {
            if (!remainder.left()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A frame of ours waits in Undertow (for the peer's window, or the socket): Undertow calls the
     * write listener ({@link #onWritable()}) once it has gone out, and the backlog goes on from there.
     */
    private void waitForStream() {
        lock.lock();
        try {
            mode = Mode.WAITING;
        } finally {
            lock.unlock();
        }
        sink.resumeWrites();
    }

    /** True while the backlog waits for the stream to take more (for tests). */
    boolean waitingForStream() {
        lock.lock();
        try {
            return mode == Mode.WAITING;
        } finally {
            lock.unlock();
        }
    }

    /** Undertow's write listener, on the I/O thread: the stream may take more. */
    private void onWritable() {
        boolean waiting;
        lock.lock();
        try {
            waiting = mode == Mode.WAITING;
            if (waiting) {
                mode = Mode.IO;
            }
        } finally {
            lock.unlock();
        }
        if (waiting) {
            writeOnIoThread();
        } else {
            sink.suspendWrites(); // nothing of ours waits (the exchange's first resume, a late wake-up)
        }
    }

    /** With the stream flushed: true (and mode IDLE, the body ended if closing) unless more came meanwhile. */
    private boolean finishedBacklog() {
        boolean end;
        lock.lock();
        try {
            if (!pending.isEmpty()) {
                return false;
            }
            mode = Mode.IDLE;
            end = closing && !ended;
            ended |= end;
        } finally {
            lock.unlock();
        }
        if (end) {
            java.util.concurrent.ScheduledFuture<?> reset = resetTimer;
            if (reset != null) {
                reset.cancel(false); // the body ends normally: no timer task left behind
            }
            io.execute(this::endBody);
        }
        return true;
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            pending.clear();
            pendingBytes = 0;
            mode = Mode.IDLE;
            ended = true;
            roomy.signalAll();
        } finally {
            lock.unlock();
        }
        io.execute(() -> {
            IoUtils.safeClose(sink);
            closeSource();
        });
    }

    /**
     * On the I/O thread, with nothing pending: END_STREAM. The peer's body is left to end by itself
     * (a reset now could make the peer drop our last frames, its GOAWAY among them, unread); if it
     * has not ended {@value #LINGER_SECONDS} s later, it is reset.
     */
    private void endBody() {
        try {
            sink.shutdownWrites();
            if (!sink.flush()) {
                sink.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        ChannelListeners.closingChannelListener(), ChannelListeners.closingChannelExceptionHandler()));
                sink.resumeWrites();
            }
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(sink);
        }
        SessionThreads.timer().schedule(() -> io.execute(this::closeSource), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    private void closeSource() {
        StreamSourceChannel s = source;
        if (s != null) {
            IoUtils.safeClose(s);
        }
    }

    private boolean isEnded() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean endNow;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            roomy.signalAll();
            endNow = mode == Mode.IDLE && !ended;
            if (endNow) {
                ended = true;
            }
        } finally {
            lock.unlock();
        }
        if (endNow) {
            try {
                io.execute(this::endBody);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                endBody(); // the server's I/O thread is stopping: end the body here
            }
        } else {
            // the backlog goes out first (its writer then ends the body); a peer that takes nothing is reset
            resetTimer = SessionThreads.timer().schedule(() -> io.execute(() -> {
                boolean reset;
                lock.lock();
                try {
                    reset = !ended;
                    ended = true;
                } finally {
                    lock.unlock();
                }
                if (reset) {
                    IoUtils.safeClose(sink);
                    closeSource();
                }
            }), 10, TimeUnit.SECONDS);
        }
        onClose.run();
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public Optional<String> negotiatedProtocol() {
        return Optional.of("h2");
    }

    @Override
    public String describe() {
        return description;
    }
}
