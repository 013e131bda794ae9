package io.libchan.internal.nio;

import io.libchan.internal.queue.ReadAssist;
import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A {@link Wire} over a non-blocking socket that an {@link IoLoop} reads: no thread is parked per
 * connection. Lifecycle: {@link #open} registers the socket on its loop, which drives any
 * handshake ({@link ChannelIo#handshake()}, bounded by a timeout) and then hands the wire to a
 * starter that makes its session ({@link #attach}); from then on the loop reads, in bursts of at
 * most {@value #READS_PER_EVENT} reads into its own buffer, and feeds the session. A platform
 * thread waiting for a message may read instead ({@link ReadRole}). When the session may not take
 * more input (its memory budget is spent) reading pauses, and TCP's window holds the peer back,
 * until the session says it may go on.
 *
 * <p>Writes come from one thread at a time (the session's frame writer holds its lock). Frames
 * are copied into a buffer borrowed from {@link BufferPool} and given back once written, so an
 * idle connection holds none. A blocking {@link #flush()} waits for the loop to report the socket
 * writable; on the loop thread nothing blocks: what the socket does not take stays buffered and
 * the loop writes it when it can ({@link SpdySession#onWritable()}).
 *
 * <p>Thread-safe as {@link Wire} asks. {@link #close()} may come from any thread; bytes still
 * buffered then are written first, for at most the drain timeout.
 */
public final class NioWire implements Wire, IoLoop.Handler {
    /** Reads per readiness event: a busy connection does not starve the loop's others. */
    static final int READS_PER_EVENT = 16;
    /** A DATA frame with this much payload still to come sizes the next read to end with it (plain sockets). */
    private static final int ALIGNED_READ = 16 * 1024;
    private static final int SPDY_HEAD = 8;
    /** Frames this big are written from the caller's array, not copied into the buffer. */
    private static final int DIRECT_WRITE = 64 * 1024;

    private final ChannelIo io;
    /**
     * The bytes on the socket are the session's as they are (a plain socket: no TLS record,
     * WebSocket frame or descriptor in between), so a read can be sized to end with a frame.
     */
    private final boolean plain;
    private final IoLoop loop;
    private final String description;
    private final long handshakeTimeoutNanos;
    private final long lingerNanos;
    /** Makes the session once the connection is ready; runs on the loop thread. */
    private final Consumer<NioWire> starter;
    private final Consumer<Throwable> onOpenFailed;
    private final boolean waitingThreadsRead;
    private volatile SelectionKey key;
    private volatile SpdySession session;
    private volatile ReadRole reads;
    private volatile boolean closed;
    private volatile boolean inputEnded;

    // loop thread only:
    private boolean handshaking;
    private IoLoop.Timer handshakeTimer;
    /** Reading is paused for the session's memory budget (written on the loop thread). */
    private volatile boolean paused;
    /** Bytes the last {@link #readAndFeed} asked the socket for (the reading role's holder only). */
    private int asked;

    /**
     * Held while {@link #out} is used: by the session's frame writer (one thread at a time
     * already, so uncontended) and by the loop when it writes the last bytes before closing.
     */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    /** Bytes not yet written, in write mode {@code [0, position)}; null when none (guarded by writing). */
    private ByteBuffer out;
    /** Where descriptors ride in {@link #out} (unix sockets), in order; null when none (guarded by writing). */
    private java.util.ArrayDeque<DescriptorMark> marks;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** Counts the loop's reports that the socket became writable (written by the loop). */
    private volatile int writableEvents;
    private volatile Thread awaitingWritable;
    /** The socket did not take all that was written, and not all of it went out since (any writer). */
    private volatile boolean blocked;
    /** What the last write left in {@link #out} (written by the writing role, read by the frame writer). */
    private volatile long backlog;
    private volatile boolean flushThenClose;
    private IoLoop.Timer lingerTimer; // loop thread only

    private NioWire(ChannelIo io, IoLoop loop, String description, long handshakeTimeoutNanos, long lingerNanos,
                    boolean waitingThreadsRead, Consumer<NioWire> starter, Consumer<Throwable> onOpenFailed) {
        this.io = io;
        this.plain = io.getClass() == ChannelIo.class;
        this.loop = loop;
        this.description = description;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.lingerNanos = lingerNanos;
        this.waitingThreadsRead = waitingThreadsRead;
        this.starter = starter;
        this.onOpenFailed = onOpenFailed;
    }

    /**
     * Puts a connected socket on {@code loop}, a lease ({@link IoLoopGroup#lease}) the wire releases
     * when it closes. Once its handshake is done (at once for plain
     * sockets), {@code starter} runs on the loop thread and must {@link #attach} a session; if the
     * handshake fails or times out, or the loop cannot take the socket, the socket is closed and
     * {@code onOpenFailed} runs instead (on whatever thread found out).
     *
     * @param waitingThreadsRead platform threads waiting for a message may read this connection ({@link ReadRole})
     */
    public static NioWire open(ChannelIo io, IoLoop loop, String description, java.time.Duration handshakeTimeout,
                               java.time.Duration linger, boolean waitingThreadsRead,
                               Consumer<NioWire> starter, Consumer<Throwable> onOpenFailed) {
        NioWire wire = new NioWire(io, loop, description, handshakeTimeout.toNanos(), linger.toNanos(),
                waitingThreadsRead, starter, onOpenFailed);
        try {
            io.channel().configureBlocking(false);
            loop.execute(wire::register);
        } catch (IOException | RejectedExecutionException e) {
            wire.openFailed(e);
        }
        return wire;
    }

    private void register() {
        try {
            key = loop.register(io.channel(), 0, this);
            handshaking = true;
            handshakeTimer = loop.schedule(handshakeTimeoutNanos, () -> {
                if (handshaking) {
                    openFailed(new IOException("no handshake within " + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms"));
                }
            });
            continueHandshake();
        } catch (Throwable e) {
            openFailed(e);
        }
    }

    private void continueHandshake() throws IOException {
        int wants = io.handshake();
        if (wants != 0) {
            key.interestOps(wants);
            return;
        }
        handshaking = false;
        handshakeTimer.cancel();
        key.interestOps(0);
        starter.accept(this); // attaches the session
        if (session == null) {
            throw new IllegalStateException("the connection's starter attached no session");
        }
        setReading(true);
        if (io.hasBufferedInput()) {
            onReadable(); // bytes that came with the handshake's last records: the socket will not report them
        }
    }

    private void openFailed(Throwable e) {
        handshaking = false;
        closed = true;
        io.close();
        releaseLoop();
        onOpenFailed.accept(e);
    }

    private final java.util.concurrent.atomic.AtomicBoolean loopReleased = new java.util.concurrent.atomic.AtomicBoolean();

    /** The lease on the loop ends, once. */
    private void releaseLoop() {
        if (loopReleased.compareAndSet(false, true)) {
            loop.release();
        }
    }

    /** Attaches the session this connection feeds (the starter's job, on the loop thread). */
    public void attach(SpdySession s) {
        session = s;
        if (waitingThreadsRead) {
            reads = new ReadRole(this, loop);
        }
    }

    SpdySession session() {
        return session;
    }

    ChannelIo io() {
        return io;
    }

    // ------------------------------------------------------------------ loop events

    @Override
    public void ready(int readyOps) throws IOException {
        if (closed) {
            return;
        }
        if (!key.isValid()) {
            keyCancelled();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            onWritable();
        }
        if (handshaking) {
            continueHandshake();
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && session != null) {
            onReadable();
        }
    }

    /**
     * The selector gave up the key on its own: junixsocket's does when the peer hangs up. What the
     * socket still holds is read (its end of input with it); no event will come for it any more.
     */
    private void keyCancelled() throws IOException {
        if (session == null || handshaking) {
            openFailed(new IOException("the connection was closed"));
            return;
        }
        ByteBuffer buf = loop.readBuffer();
        int n;
        do {
            n = readAndFeed(buf);
        } while (n > 0 && !paused);
        if (n == 0 && !paused && !inputEnded) {
            inputEnded = true;
            session.onInputFailed(new IOException("the connection was closed under us"));
        }
        if (!paused) {
            closeNow();
        }
    }

    /** A handler of ours threw (a bug, or an Error such as OutOfMemoryError): this session ends, no other. */
    @Override
    public void failed(Throwable error) {
        if (handshaking || session == null) {
            openFailed(error);
            return;
        }
        inputEnded = true;
        session.onFault(error);
        close();
    }

    private void onReadable() throws IOException {
        ReadRole role = reads;
        if (role != null) {
            role.loopReads(this::readBurst);
        } else {
            readBurst();
        }
    }

    /**
     * Up to {@value #READS_PER_EVENT} reads into the loop's buffer, each fed to the session, by the
     * holder of the reading role on the loop thread. Stops early when the socket is drained, the
     * input ended, or the session may not take more.
     */
    void readBurst() throws IOException {
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < READS_PER_EVENT; i++) {
            int n = readAndFeed(buf);
            if (n < 0 || paused) {
                return;
            }
            if (n < asked && !io.hasBufferedInput()) {
                return; // drained; the selector says when more comes
            }
        }
        if (io.hasBufferedInput()) {
            loop.execute(this::readOnLoop); // taken off the socket already: the selector will not report it
        }
    }

    /** Loop thread: reads now, whatever the selector says (bytes wait inside the TLS layer). */
    private void readOnLoop() {
        if (closed || inputEnded || paused || session == null) {
            return;
        }
        try {
            onReadable();
        } catch (Throwable e) {
            failed(e);
        }
    }

    /**
     * One read into {@code buf}, fed to the session, by the holder of the reading role.
     *
     * @return the bytes read, 0 if none, -1 once the input ended (the session was told)
     */
    int readAndFeed(ByteBuffer buf) throws IOException {
        asked = 0;
        if (inputEnded || closed) {
            return -1;
        }
        buf.clear();
        int left = plain ? session.dataBytesLeft() : 0;
        if (left >= ALIGNED_READ) {
            // a large DATA frame in progress (a byte stream's chunk): this read ends with it and the
            // next frame's head, so the next one takes that frame whole and its stream gets each
            // frame in one piece (one write to a gateway's target per frame, not two)
            buf.limit(Math.min(buf.capacity(), left + SPDY_HEAD));
        }
        asked = buf.remaining();
        int n;
        try {
            n = io.read(buf);
        } catch (IOException e) {
            inputEnded = true;
            session.onInputFailed(e);
            return -1;
        }
        if (n < 0) {
            inputEnded = true;
            session.onEndOfInput();
            return -1;
        }
        if (io.hasPendingOutput()) {
            armWritable(); // reading made the TLS engine answer (a KeyUpdate): the loop sends it when it can
        }
        FileDescriptor[] fds = io.receivedDescriptors();
        if (fds != null && fds.length > 0) {
            session.onFileDescriptors(fds);
        }
        if (n > 0) {
            buf.flip();
            session.onBytes(buf);
            if (!session.readingAllowed()) {
                pause();
            }
        }
        return n;
    }

    /** Bytes the last {@link #readAndFeed} asked for: a read that got them all may have left more. */
    int lastAsked() {
        return asked;
    }

    /** The session may not take more input now: stop reading until it says it may (any thread). */
    private void pause() {
        if (loop.inLoop()) {
            pauseOnLoop();
        } else {
            try {
                loop.execute(this::pauseOnLoop);
            } catch (RejectedExecutionException e) {
                // the loop is gone: the connection with it
            }
        }
    }

    private void pauseOnLoop() {
        if (paused || closed) {
            return;
        }
        paused = true;
        setReading(false);
        session.whenReadingAllowed(() -> {
            try {
                loop.execute(this::resumeOnLoop);
            } catch (RejectedExecutionException e) {
                // the loop is gone: the connection with it
            }
        });
    }

    private void resumeOnLoop() {
        if (!paused || closed) {
            return;
        }
        if (!session.readingAllowed()) {
            paused = false;
            pauseOnLoop(); // spent again meanwhile: wait for the next chance
            return;
        }
        paused = false;
        if (key != null && !key.isValid()) {
            try {
                keyCancelled(); // the peer hung up while we paused: read what is left now
            } catch (Throwable e) {
                failed(e);
            }
            return;
        }
        setReading(true);
        if (io.hasBufferedInput()) {
            readOnLoop();
        }
    }

    /** True while reading is paused for the session's memory budget (loop thread, or a racy hint elsewhere). */
    boolean paused() {
        return paused;
    }

    /** Turns the loop's interest in input on or off (loop thread). */
    void setReading(boolean on) {
        SelectionKey k = key;
        if (k == null || closed) {
            return;
        }
        try {
            if (on && !paused) {
                k.interestOpsOr(SelectionKey.OP_READ);
            } else if (!on) {
                k.interestOpsAnd(~SelectionKey.OP_READ);
            }
        } catch (CancelledKeyException e) {
            // closed meanwhile
        }
    }

    boolean inputEnded() {
        return inputEnded || closed;
    }

    IoLoop loop() {
        return loop;
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        writing.lock();
        try {
            writeFrameLocked(head, payload, off, len, fds);
        } finally {
            writing.unlock();
        }
    }

    private void writeFrameLocked(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        if (fds.length > 0) {
            writeWithDescriptors(head, payload, off, len, fds);
            return;
        }
        int size = head.length + (payload == null ? 0 : len);
        if (size >= DIRECT_WRITE && !loop.inLoop()) {
            flush();
            writeFully(ByteBuffer.wrap(head));
            if (payload != null && len > 0) {
                writeFully(ByteBuffer.wrap(payload, off, len));
            }
            return;
        }
        if (size >= DIRECT_WRITE && payload != null && len > 0 && io.writesGathered() && tryFlushLocked()) {
            writeGathered(head, payload, off, len);
            return;
        }
        ByteBuffer b = room(size);
        b.put(head);
        if (payload != null && len > 0) {
            b.put(payload, off, len);
        }
    }

    /**
     * A frame whose payload lies in a buffer of the caller's (a gateway's direct read buffer): on the
     * loop thread with nothing buffered before it, it leaves from that buffer in one gathering write
     * (under TLS, wrapped straight from it), with no copy in this JVM; only what the socket does not
     * take now, or the whole frame elsewhere, is copied into {@link #out}. Never blocks.
     */
    @Override
    public void writeFrame(byte[] head, ByteBuffer payload) throws IOException {
        writing.lock();
        try {
            ByteBuffer p = payload.duplicate();
            if (io.writesGathered() && loop.inLoop() && tryFlushLocked()) {
                writeGathered(ByteBuffer.wrap(head), p);
            } else {
                room(head.length + p.remaining()).put(head).put(p);
            }
        } finally {
            writing.unlock();
        }
    }

    /**
     * The descriptors must ride on this frame's first byte: attached now if nothing waits before
     * it, else when the bytes before it are written ({@link #writeOut}). Never blocks.
     */
    private void writeWithDescriptors(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        int at = out == null ? 0 : out.position();
        if (at == 0 && !io.hasPendingOutput()) {
            io.attach(fds); // the next bytes written are this frame's
        } else {
            if (marks == null) {
                marks = new java.util.ArrayDeque<>(2);
            }
            marks.addLast(new DescriptorMark(at, fds));
        }
        ByteBuffer b = room(head.length + (payload == null ? 0 : len));
        b.put(head);
        if (payload != null && len > 0) {
            b.put(payload, off, len);
        }
    }

    /**
     * On the loop thread, nothing buffered before it: a large frame (a gateway's chunk) goes from
     * its own arrays in one gathering write (or TLS wrap), instead of being copied into {@link #out} first; only
     * what the socket does not take now is copied there, for the loop to write when it takes more.
     */
    private void writeGathered(byte[] head, byte[] payload, int off, int len) throws IOException {
        writeGathered(ByteBuffer.wrap(head), ByteBuffer.wrap(payload, off, len));
    }

    private void writeGathered(ByteBuffer h, ByteBuffer p) throws IOException {
        io.write(new ByteBuffer[] {h, p}); // what a TLS engine wrapped and the socket did not take waits in io
        if (p.hasRemaining()) {
            ByteBuffer b = room(h.remaining() + p.remaining());
            b.put(h);
            b.put(p);
        }
    }

    /** Descriptors to attach once the bytes of {@link #out} before {@code offset} are written. */
    private record DescriptorMark(int offset, FileDescriptor[] fds) {
    }

    /** The write buffer with room for {@code size} more bytes, borrowed or grown as needed. */
    private ByteBuffer room(int size) {
        if (out == null) {
            out = BufferPool.take(size); // pooled up to a large frame that the socket did not take at once
        } else if (out.remaining() < size) {
            ByteBuffer bigger = BufferPool.take(Math.max(out.capacity() * 2, out.position() + size));
            out.flip();
            bigger.put(out);
            BufferPool.give(out);
            out = bigger;
        }
        return out;
    }

    /** Writes every buffered byte, waiting for the socket to take them; on the loop thread, never waits. */
    @Override
    public void flush() throws IOException {
        if (loop.inLoop()) {
            if (!tryFlush()) {
                armWritable();
            }
            return;
        }
        writing.lock();
        try {
            writeOut(true);
        } finally {
            writing.unlock();
        }
    }

    /**
     * Writes what the socket takes now; true when nothing is left buffered. Never blocks: what is
     * left is written by the loop when the socket reports it takes more.
     */
    @Override
    public boolean tryFlush() throws IOException {
        boolean all;
        writing.lock();
        try {
            all = tryFlushLocked();
        } finally {
            writing.unlock();
        }
        if (!all) {
            armWritable();
        }
        return all;
    }

    /** Bytes written into this wire and not yet taken by the socket (for the writer's back-pressure). */
    @Override
    public long backlogBytes() {
        return backlog;
    }

    private boolean tryFlushLocked() throws IOException {
        return writeOut(false);
    }

    /**
     * Writes {@link #out}, attaching descriptors where they are due, waiting for the socket when
     * {@code block}; true when nothing is left. Under {@link #writing}.
     */
    private boolean writeOut(boolean block) throws IOException {
        if (out == null) {
            return writePending(block);
        }
        out.flip();
        try {
            while (out.hasRemaining()) {
                DescriptorMark mark = marks == null ? null : marks.peekFirst();
                if (mark != null && mark.offset() == out.position()) {
                    io.attach(mark.fds());
                    marks.pollFirst();
                    continue;
                }
                int limit = out.limit();
                if (mark != null) {
                    out.limit(mark.offset());
                }
                boolean all;
                try {
                    all = io.write(out);
                } finally {
                    out.limit(limit);
                }
                if (!all) {
                    if (!block) {
                        return false;
                    }
                    awaitWritable();
                }
            }
        } finally {
            blocked = out.hasRemaining() || io.hasPendingOutput();
            backlog = out.remaining();
            int written = out.position();
            out.compact();
            if (marks != null && written > 0) {
                java.util.ArrayDeque<DescriptorMark> shifted = new java.util.ArrayDeque<>(marks.size());
                for (DescriptorMark m : marks) {
                    shifted.addLast(new DescriptorMark(m.offset() - written, m.fds()));
                }
                marks = shifted.isEmpty() ? null : shifted;
            }
            giveBackIfEmpty();
        }
        return writePending(block);
    }

    /** Writes what the I/O layer holds (TLS records already wrapped); true when none is left. */
    private boolean writePending(boolean block) throws IOException {
        while (io.hasPendingOutput() && !io.write(NOTHING.duplicate())) {
            blocked = true;
            if (!block) {
                return false;
            }
            awaitWritable();
        }
        blocked = false;
        return true;
    }

    @Override
    public boolean outputBlocked() {
        return blocked || awaitingWritable != null;
    }

    private void giveBackIfEmpty() {
        if (out != null && out.position() == 0) {
            BufferPool.give(out);
            out = null;
        }
    }

    @Override
    public int alignRecordsToFrames() {
        return io.alignRecordsToFrames();
    }

    @Override
    public boolean writesWithoutBlocking() {
        return true;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (!io.write(b)) {
            blocked = true;
            awaitWritable();
        }
    }

    /** Parks until the loop reports the socket writable, or the connection closes. Not on the loop thread. */
    private void awaitWritable() throws IOException {
        int seen = writableEvents;
        awaitingWritable = Thread.currentThread();
        boolean interrupted = false;
        try {
            armWritable();
            while (writableEvents == seen) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                LockSupport.park(this);
                // a frame half written cannot be taken back: an interrupt is kept for later, not obeyed here
                interrupted |= Thread.interrupted();
            }
        } finally {
            awaitingWritable = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /** Asks the loop to report when the socket takes bytes again. Any thread. */
    void armWritable() {
        SelectionKey k = key;
        if (k == null || closed) {
            return;
        }
        try {
            k.interestOpsOr(SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            return;
        }
        if (!loop.inLoop()) {
            loop.wakeup();
        }
    }

    private void onWritable() {
        try {
            key.interestOpsAnd(~SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            return;
        }
        writableEvents++; // only the loop writes it
        Thread waiting = awaitingWritable;
        if (waiting != null) {
            LockSupport.unpark(waiting);
            return;
        }
        if (flushThenClose) {
            finishFlushThenClose();
            return;
        }
        if (session != null) {
            session.onWritable(); // the frame writer writes its backlog, never blocking here
        }
        if ((backlog > 0 || io.hasPendingOutput()) && writing.tryLock()) {
            // bytes the frame writer left here, or that the I/O layer made while reading (a TLS
            // answer): they go now, and the loop is asked again for what the socket does not take
            try {
                if (!tryFlushLocked()) {
                    armWritable();
                }
            } catch (IOException e) {
                failed(e);
            } finally {
                writing.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ what the session asks

    @Override
    public boolean readerMayBlock() {
        return false;
    }

    @Override
    public boolean pausesReading() {
        return true;
    }

    @Override
    public boolean onIoThread() {
        return loop.inLoop();
    }

    @Override
    public java.util.concurrent.Executor ioExecutor() {
        return loop;
    }

    @Override
    public ReadAssist readAssist() {
        return reads;
    }

    @Override
    public boolean readerFlushesLazyWrites() {
        return true;
    }

    @Override
    public void scheduleOnIoThread(long deadlineNanos, Runnable task) {
        Runnable arm = () -> loop.schedule(deadlineNanos - System.nanoTime(), task);
        if (loop.inLoop()) {
            arm.run();
        } else {
            try {
                loop.execute(arm);
            } catch (RejectedExecutionException e) {
                // the loop is gone: the connection with it
            }
        }
    }

    @Override
    public Optional<Principal> peerPrincipal() {
        return io.peerPrincipal();
    }

    @Override
    public java.util.List<java.security.cert.X509Certificate> peerCertificates() {
        return io.peerCertificates();
    }

    @Override
    public Optional<String> negotiatedProtocol() {
        return io.negotiatedProtocol();
    }

    @Override
    public boolean canPassFileDescriptors() {
        return io instanceof DescriptorPassing;
    }

    @Override
    public Optional<FileDescriptor> descriptorOf(Object value) {
        return io instanceof DescriptorPassing ? ((DescriptorPassing) io).descriptorOf(value) : Optional.empty();
    }

    @Override
    public String describe() {
        return description;
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the connection. Bytes still buffered (the session's last frames: a GOAWAY, FINs) are
     * written first, by the loop, for at most the linger time. Idempotent; never blocks.
     */
    @Override
    public void close() {
        if (closed || flushThenClose) {
            return;
        }
        flushThenClose = true;
        try {
            loop.execute(this::finishFlushThenClose);
        } catch (RejectedExecutionException e) {
            closeNow();
        }
    }

    /**
     * Loop thread: writes what the session still has queued and what is buffered here, then
     * closes; while the socket (or a sender finishing its last frame) holds them up, looks again
     * when it is writable or in a millisecond, for at most the linger time.
     */
    private void finishFlushThenClose() {
        if (closed) {
            return;
        }
        if (lingerTimer == null) {
            lingerTimer = loop.schedule(lingerNanos, this::closeNow);
        }
        SpdySession s = session;
        if (s != null) {
            s.onWritable(); // frames the session still has queued go into the buffer first
        }
        boolean done;
        if (!writing.tryLock()) {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(1), this::finishFlushThenClose);
            return;
        }
        try {
            done = tryFlushLocked();
        } catch (IOException | RuntimeException e) {
            done = true;
            s = null;
        } finally {
            writing.unlock();
        }
        if (done && (s == null || !s.hasQueuedOutput()) || key == null) {
            closeNow();
            return;
        }
        if (done) {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(1), this::finishFlushThenClose); // a sender holds the queue
        } else {
            armWritable();
        }
    }

    /** Closes the socket at once; wakes every thread waiting on it. Idempotent. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        inputEnded = true;
        io.close();
        releaseLoop();
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        Thread waiting = awaitingWritable;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        ReadRole role = reads;
        if (role != null) {
            role.closed();
        }
        if (writing.tryLock()) {
            try {
                out = null; // left to the garbage collector: it may hold bytes never written
            } finally {
                writing.unlock();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "NioWire(" + description + ")";
    }
}
