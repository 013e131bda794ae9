package io.libchan.internal.session;

import io.libchan.ConnectionLostException;
import io.libchan.internal.codec.LentEncoding;
import io.libchan.internal.spdy.SpdyFrame;
import io.libchan.internal.spdy.SpdyFrameEncoder;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Puts frames on the wire in the order they were submitted, from many threads.
 *
 * <p>Frames go through one FIFO queue; whoever holds {@link #lock} drains it all, compressing
 * header blocks in queue order (the zlib context is shared) and flushing once per batch, so
 * concurrent senders combine their writes. Application threads ({@link #write}) wait for the lock
 * and so feel the connection's back-pressure; the reader thread ({@link #writeSoon}) never blocks:
 * it queues and, if the lock is busy, leaves the frame to the current holder or to a drain task on
 * the executor. A writer that sees the queue non-empty after unlocking drains again, so no frame
 * is stranded. While the reader is inside a read batch on a wire it writes without blocking,
 * other threads' small frames wait for the reader's own write at the end of the batch
 * ({@link #startOfBatch()}). A DATA frame and the empty FIN queued right behind it on the same
 * stream leave as one frame.
 *
 * <p>On a wire with an I/O thread ({@link Wire#ioExecutor()}) nothing but an application thread's
 * own {@link #write} ever blocks: drain tasks, the end of a session and anything on the I/O thread
 * write what the socket takes now, and the wire reports when it takes more ({@link #onWritable()}),
 * so a peer that stops reading parks no thread of ours.
 */
final class FrameWriter {
    private static final int DATA_HEAD = 8;

    /**
     * One frame to write: a control frame, or a DATA frame given as header fields and a payload
     * slice. {@code lent}, when not null, is the codec's buffer that {@code data} lies in: given
     * back once the frame is written (its last frame, for a message in several).
     */
    record Outbound(SpdyFrame control, int streamId, boolean fin, byte[] data, int off, int len, FileDescriptor[] fds,
            LentEncoding lent) {
        static Outbound control(SpdyFrame frame) {
            return new Outbound(frame, 0, false, null, 0, 0, NO_FDS, null);
        }

        /** A control frame whose bytes carry file descriptors (SCM_RIGHTS). */
        static Outbound control(SpdyFrame frame, FileDescriptor[] fds) {
            return new Outbound(frame, 0, false, null, 0, 0, fds, null);
        }

        static Outbound data(int streamId, boolean fin, byte[] data, int off, int len) {
            return new Outbound(null, streamId, fin, data, off, len, NO_FDS, null);
        }

        /** A DATA frame of a message in a lent buffer, given back once the frame is written. */
        static Outbound data(int streamId, byte[] data, int off, int len, LentEncoding lent) {
            return new Outbound(null, streamId, false, data, off, len, NO_FDS, lent);
        }
    }

    static final FileDescriptor[] NO_FDS = new FileDescriptor[0];

    private final Wire wire;
    private final SpdyFrameEncoder encoder = new SpdyFrameEncoder();
    /** The head of a DATA frame under {@link #LARGE_FRAME} bytes, rewritten for each (lock holder only). */
    private final byte[] dataHead = new byte[DATA_HEAD];
    private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Writes closer together than this are coalesced by a drain task. */
    static final long COALESCE_NANOS = 20_000;
    /** Queued bytes past which a writer stops coalescing and writes (and blocks) itself. */
    static final long HIGH_WATER = 1 << 20;
    /** Frames this big are written by their sender at once: a system call is cheap next to them. */
    static final int LARGE_FRAME = 16 * 1024;
    /** Queued bytes up to which the reader writes its own batch on a non-blocking wire. */
    static final long INLINE_MAX = 64 * 1024;
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastWrite;
    private final Executor executor;
    private final Consumer<IOException> onFailure;
    private final java.util.function.BooleanSupplier deferring;
    private volatile IOException failure;
    private final java.util.function.Supplier<java.util.concurrent.ScheduledExecutorService> timer;
    private final AtomicBoolean lazyFlushScheduled = new AtomicBoolean();
    /** The reader queued a frame someone waits for in its current batch (reader thread only). */
    private boolean urgentInBatch;
    /** A non-blocking flush left bytes in the wire's buffer: the next drain flushes them first. */
    private volatile boolean leftover;
    /** The reader is inside a read batch and writes the queue when it ends (written by the reader). */
    private volatile boolean readerWillWrite;
    /** A writer left its frame to the reader's end of batch (see {@link #startOfBatch()}). */
    private volatile boolean leftForReader;
    /** How long a frame nobody waits for may stay queued when no other write takes it along. */
    static final long LAZY_MICROS = 1000;
    /** When the reader queued the oldest lazy frame not yet written (never 0 when set), or 0. */
    private volatile long lazySince;
    /** The wire has an I/O thread: drains never block (see the class comment). */
    private final boolean nonBlocking;
    /** Bytes of the frames written (set before the first write; the writing lock orders the adds). */
    private java.util.concurrent.atomic.LongAdder written = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param deferring true while the calling thread is the connection's reader inside a read
     *        batch: its frames are only queued, and written together when the batch ends
     *        ({@link #endOfBatch()}), so a reply, its FIN and the SYN_REPLYs the batch produced
     *        leave in one write, and the reader never blocks on the connection
     */
    FrameWriter(Wire wire, Executor executor, Consumer<IOException> onFailure, java.util.function.BooleanSupplier deferring,
            java.util.function.Supplier<java.util.concurrent.ScheduledExecutorService> timer) {
        this.wire = wire;
        this.timer = timer;
        this.executor = executor;
        this.onFailure = onFailure;
        this.deferring = deferring;
        this.nonBlocking = wire.ioExecutor() != null;
    }

    /**
     * Hands a frame to the connection, in order. An isolated write goes out at once, on the
     * caller's thread (lowest latency). In a busy stretch (another write less than
     * {@link #COALESCE_NANOS} ago, or a drain already pending) the frame is queued and a drain task
     * writes everything queued in one go: a stream of sends costs a handful of system calls rather
     * than one each. Past {@link #HIGH_WATER} queued bytes the caller writes itself, so a congested
     * connection blocks senders instead of growing the queue. From the reader inside a read
     * batch, only queues it (see the constructor).
     */
    void write(Outbound frame) {
        checkHealthy();
        queue.add(frame);
        queuedBytes.addAndGet(frame.len() + 16);
        if (deferring.getAsBoolean()) {
            urgentInBatch = true;
            return;
        }
        if (wire.onIoThread()) {
            writeFromReader(); // an application callback on the I/O thread: it must never wait
            return;
        }
        long now = System.nanoTime();
        if (frame.len() < LARGE_FRAME && readerWillWrite && backlog() < HIGH_WATER) {
            leftForReader = true;
            if (readerWillWrite) { // still: the reader reads leftForReader after clearing readerWillWrite
                lastWrite = now; // a busy stretch: sends that follow the batch are coalesced too
                armLazyTimer(); // in case an application callback keeps the reader in its batch
                return;
            }
        }
        // small frames in a busy stretch are coalesced; a big one (a byte stream's chunk) is worth its own write
        if (frame.len() < LARGE_FRAME && (drainScheduled.get() || now - lastWrite < COALESCE_NANOS
                || answersBatch(now)) && backlog() < HIGH_WATER) {
            lastWrite = now;
            scheduleDrain();
            return;
        }
        lastWrite = now;
        lock.lock();
        try {
            drainLocked();
        } finally {
            lock.unlock();
        }
        drainIfIdle();
        checkHealthy();
    }

    /**
     * True when the caller sends just after a read batch of several DATA frames that another
     * thread (the connection's reader) handed it messages from: most likely the first of a burst
     * of answers (a client with many requests in flight refilling its window), which then leaves
     * in one write with the rest of the burst instead of one of its own. The thread that read the
     * batch itself (a blocked receiver that read its own reply), and a thread answering a batch of
     * one frame (one reply at 1 in flight, read by the I/O thread), write at once as before.
     */
    private boolean answersBatch(long now) {
        return now - batchEndedAt < answerNanos && batchEndedBy != Thread.currentThread();
    }

    /**
     * As {@link #write}, for a DATA frame whose array the caller may reuse once this returns (an
     * {@code OutputStream}'s): a frame that may be left queued rather than written at once (a
     * small one, or any from the reader inside its batch) is copied first.
     */
    void writeBorrowed(Outbound frame) {
        if (frame.len() > 0 && (frame.len() < LARGE_FRAME || deferring.getAsBoolean() || wire.onIoThread())) {
            byte[] copy = java.util.Arrays.copyOfRange(frame.data(), frame.off(), frame.off() + frame.len());
            frame = Outbound.data(frame.streamId(), frame.fin(), copy, 0, copy.length);
        }
        write(frame);
    }

    /**
     * Writes a DATA frame of {@code payload}'s remaining bytes now, on the I/O thread, when nobody
     * else is writing: the frames queued before it go first, then it leaves from the buffer itself
     * ({@link Wire#writeFrame(byte[], java.nio.ByteBuffer)}: written, or what the socket does not
     * take copied by the wire). Never blocks and never keeps the buffer. False, with nothing
     * written, when that cannot be done now (not the I/O thread, the reader inside its batch,
     * another thread writing): the caller then sends a copy through {@link #write}.
     */
    boolean tryWriteNow(int streamId, java.nio.ByteBuffer payload) {
        if (!nonBlocking || failure != null || !wire.onIoThread() || deferring.getAsBoolean() || !lock.tryLock()) {
            return false;
        }
        try {
            writeQueued();
            int len = payload.remaining();
            fillDataHead(dataHead, streamId, false, len); // the wire copies the head too
            wire.writeFrame(dataHead, payload);
            written.add(DATA_HEAD + len);
            leftover = !wire.tryFlush(); // what is left, the wire writes when the socket takes more
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
            failure = io;
            queue.clear();
            onFailure.accept(io);
        } finally {
            lock.unlock();
        }
        if (!queue.isEmpty() && failure == null) {
            writeFromReader(); // queued by another thread while the lock was held
        }
        return true;
    }

    /** Queues a frame to be written soon, never blocking the caller (for the reader thread). */
    void writeSoon(Outbound frame) {
        if (failure != null) {
            return;
        }
        queue.add(frame);
        queuedBytes.addAndGet(frame.len() + 16);
        if (!deferring.getAsBoolean()) {
            scheduleDrain();
        } else {
            urgentInBatch = true;
        }
    }

    /**
     * Queues a frame nobody waits for (our FIN answering the peer's FIN): it leaves with the next
     * write on the connection, or within {@link #LAZY_MICROS} if none comes. A request/reply client
     * so sends its next request at once, carrying the FIN, instead of waiting for a drain task to
     * write the FIN first. Never blocks.
     */
    void writeLazy(Outbound frame) {
        if (failure != null) {
            return;
        }
        queue.add(frame);
        queuedBytes.addAndGet(frame.len() + 16);
        if (wire.readerFlushesLazyWrites() && deferring.getAsBoolean()) {
            // the connection's reader bounds its next wait by lazyDeadline() and flushes then
            // (flushLazy): no timer task, so no timer thread woken twice per lazy frame
            if (lazySince == 0) {
                long since = System.nanoTime() | 1;
                lazySince = since;
                if (wire.onIoThread()) {
                    // the I/O thread's reads are not bounded by the deadline: a timer of its own is
                    long due = since + TimeUnit.MICROSECONDS.toNanos(LAZY_MICROS);
                    wire.scheduleOnIoThread(due, this::flushLazyIfDue);
                }
            }
            return;
        }
        armLazyTimer();
    }

    /** Makes sure a drain runs within {@link #LAZY_MICROS} if the queue is not written before. */
    private void armLazyTimer() {
        if (lazyFlushScheduled.compareAndSet(false, true)) {
            try {
                timer.get().schedule(() -> {
                    lazyFlushScheduled.set(false);
                    if (!queue.isEmpty() && failure == null) {
                        scheduleDrain();
                    }
                }, LAZY_MICROS, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException e) {
                lazyFlushScheduled.set(false);
                scheduleDrain();
            }
        }
    }

    /**
     * When the oldest frame the reader queued lazily must be written ({@link System#nanoTime()}
     * scale), or 0 if none waits. Only for wires whose reader {@link Wire#readerFlushesLazyWrites()}.
     */
    long lazyDeadline() {
        long since = lazySince;
        return since == 0 ? 0 : since + TimeUnit.MICROSECONDS.toNanos(LAZY_MICROS);
    }

    private void flushLazyIfDue() {
        long deadline = lazyDeadline();
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            flushLazy();
        }
    }

    /** The reader's wait reached {@link #lazyDeadline()}: it writes what is queued, never blocking. */
    void flushLazy() {
        lazySince = 0; // set again by a lazy frame queued from now on
        if (!queue.isEmpty() && failure == null) {
            writeFromReader();
        }
    }

    /**
     * The reader starts a read batch. On a wire it writes without blocking, other threads' small
     * frames are from now on left in the queue for its {@link #endOfBatch()}: a client whose sends
     * follow the replies the reader hands it puts them on the wire in the reader's own write, with
     * no drain task to wake and no system call of its own.
     */
    void startOfBatch() {
        if (wire.writesWithoutBlocking()) {
            readerWillWrite = true;
        }
    }

    /**
     * The reader's batch ended: what it queued is written, by the reader itself on a wire that
     * writes without blocking, else by a drain task.
     */
    void endOfBatch() {
        if (framesInBatch > 1) { // one message (a reply at 1 in flight) is answered at once: no burst follows
            batchEndedBy = Thread.currentThread();
            batchEndedAt = System.nanoTime();
        }
        framesInBatch = 0;
        boolean urgent = urgentInBatch;
        urgentInBatch = false;
        if (readerWillWrite) {
            urgent = writeWhileOthersLeaveFrames(urgent);
        }
        readerWillWrite = false; // before reading leftForReader: a writer that saw it true has set that
        if (leftForReader) {
            leftForReader = false;
            urgent = true;
        }
        if (urgent && !queue.isEmpty() && failure == null) {
            if (wire.writesWithoutBlocking() && queuedBytes.get() < INLINE_MAX) {
                writeFromReader(); // no drain task, no thread wake-up
            } else {
                scheduleDrain(); // frames only written lazily wait for their own timer
            }
        }
    }

    /**
     * How long after a read batch another thread's send counts as answering it ({@link #answersBatch}):
     * longer than a woken thread takes to run on a busy machine, short next to a drain task's wait.
     */
    static final long ANSWER_NANOS = 50_000;
    private long answerNanos = ANSWER_NANOS;
    /** When the last read batch ended ({@link System#nanoTime()} scale), and on which thread. */
    private volatile long batchEndedAt = System.nanoTime() - ANSWER_NANOS;
    private volatile Thread batchEndedBy;

    /** DATA frames that arrived in the reader's current batch (reader thread only). */
    private int framesInBatch;

    /** A DATA frame arrived in the reader's current batch (reader thread). */
    void dataFrameArrived() {
        framesInBatch++;
    }

    /** Sets {@link #ANSWER_NANOS} for this writer (tests on a machine of any speed). */
    void answerWindow(long nanos) {
        answerNanos = nanos;
        batchEndedAt = System.nanoTime() - nanos;
    }

    /** Writes the reader makes at the end of a batch while other threads keep leaving it frames. */
    static final int READER_ROUNDS = 4;

    /**
     * The reader's end of batch on a wire that writes without blocking: it writes the queue, and
     * while it does, threads answering the messages it just handed them keep leaving their frames
     * to it ({@link #readerWillWrite} stays set), so it writes again what came meanwhile, up to
     * {@link #READER_ROUNDS} times. A client at many requests in flight so sends its next requests
     * from the I/O thread that is awake anyway, in writes that carry all that came during the last
     * one, instead of waking a drain task on another thread for them (a futex wake and a context
     * switch each time), and the replies waiting meanwhile are read in one larger batch.
     *
     * @return true when frames are left that the caller must still see written
     */
    private boolean writeWhileOthersLeaveFrames(boolean urgent) {
        boolean wrote = false;
        for (int round = 0; round < READER_ROUNDS; round++) {
            if (leftForReader) {
                leftForReader = false; // before taking the queue: a frame left later sets it again
                urgent = true;
            }
            // once it has written, the reader looks at the queue itself, as every lock holder must
            // after unlocking: a frame queued meanwhile may have had its drain task turned away by
            // the lock the reader held (drain()), and nobody else would write it
            if (!(urgent || wrote) || queue.isEmpty() || failure != null || queuedBytes.get() >= INLINE_MAX) {
                return urgent || wrote && !queue.isEmpty();
            }
            int outcome = flushWithoutBlocking();
            if (outcome == SOCKET_FULL && !nonBlocking) {
                scheduleDrain(); // a drain task waits until the socket takes the rest
            }
            if (outcome != WROTE_ALL) {
                return false; // the lock holder looks at the queue again; a full socket is the wire's to report
            }
            urgent = false;
            wrote = true;
        }
        return urgent || !queue.isEmpty(); // the caller writes the rest or hands it to a drain task
    }

    /**
     * On the reader's thread, with a wire that writes without blocking: writes the queue itself,
     * and hands to a drain task what the socket did not take, or what a writer that found the lock
     * busy queued meanwhile.
     */
    private void writeFromReader() {
        for (int round = 0; round < 4; round++) {
            int outcome = flushWithoutBlocking();
            if (outcome == LOCK_BUSY) {
                return; // the holder looks at the queue again after unlocking
            }
            if (outcome == SOCKET_FULL) {
                if (!nonBlocking) {
                    scheduleDrain(); // a drain task waits until the socket takes the rest
                } // else the wire reports when the socket takes more (onWritable)
                return;
            }
            if (queue.isEmpty() || failure != null) {
                return;
            }
        }
        scheduleDrain(); // writers keep queueing: a drain task takes over
    }

    private static final int WROTE_ALL = 0;
    private static final int LOCK_BUSY = 1;
    private static final int SOCKET_FULL = 2;

    /**
     * Writes the queue if no one else is writing, as far as the connection takes it now.
     *
     * @return {@link #WROTE_ALL}; {@link #LOCK_BUSY} when another thread is writing (it writes
     *         what was queued); {@link #SOCKET_FULL} when bytes are left for a blocking flush
     */
    private int flushWithoutBlocking() {
        if (!lock.tryLock()) {
            return LOCK_BUSY;
        }
        try {
            writeQueued();
            boolean all = wire.tryFlush();
            leftover = !all;
            return all ? WROTE_ALL : SOCKET_FULL;
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
            failure = io;
            queue.clear();
            onFailure.accept(io);
            return WROTE_ALL;
        } finally {
            lock.unlock();
        }
    }

    /** True while more than {@link #HIGH_WATER} bytes wait to go out: a sender that must not block should wait. */
    boolean backedUp() {
        return backlog() >= HIGH_WATER;
    }

    /** Bytes queued here and left in the wire: past {@link #HIGH_WATER}, senders write (and wait) themselves. */
    private long backlog() {
        return queuedBytes.get() + wire.backlogBytes();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
            }
        }
    }

    /** Made once: a lambda written in scheduleDrain would be a new object per drain. */
    private final Runnable drainTask = this::drain;

    /**
     * A drain task: writes the queue, and stays scheduled while it does, so frames queued meanwhile
     * are left to it rather than each submitting a task of its own (each a thread to wake, which
     * then finds the lock taken). It ends once it has cleared the flag and then sees the queue empty
     * (a frame queued after that schedules a new task), the socket full (the wire reports when it
     * takes more: {@link #onWritable()}), or another thread holding the lock: every lock holder looks
     * at the queue after unlocking, and one that asked for a drain while this task still held the
     * flag (the request was absorbed) unlocked before the flag was cleared, so this task, seeing
     * the lock free, drains again.
     */
    private void drain() {
        while (true) {
            int outcome = nonBlocking ? drainWithoutBlocking() : drainIfIdle();
            drainScheduled.set(false);
            if (outcome == SOCKET_FULL || queue.isEmpty() || failure != null) {
                return;
            }
            if (outcome == LOCK_BUSY && lock.isLocked()) {
                return; // its holder looks at the queue after unlocking
            }
            if (!drainScheduled.compareAndSet(false, true)) {
                return; // a newer task has the rest
            }
        }
    }

    /**
     * Writes the frames still queued (a session ending cleanly still owes the peer its last FINs),
     * giving up if another writer holds the connection longer than {@code timeoutMillis}.
     */
    void drainQueued(long timeoutMillis) {
        if (nonBlocking) {
            drainWithoutBlocking(); // whatever the socket does not take now, the wire writes before it closes
            return;
        }
        try {
            if (lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                try {
                    drainLocked();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds a frame to the queue without writing; the next {@link #write} or drain takes it. */
    void enqueue(Outbound frame) {
        queue.add(frame);
        queuedBytes.addAndGet(frame.len() + 16);
    }

    /**
     * The wire's socket takes bytes again (its I/O thread): writes the backlog as far as it goes.
     * Never blocks.
     */
    void onWritable() {
        drainWithoutBlocking();
    }

    /**
     * Writes the queue as far as the socket takes it now, unless another thread writes. Never blocks.
     *
     * @return {@link #WROTE_ALL}, or why it stopped: {@link #LOCK_BUSY} (the holder looks at the
     *         queue after unlocking), {@link #SOCKET_FULL} (the wire reports when the socket takes more)
     */
    private int drainWithoutBlocking() {
        while ((!queue.isEmpty() || leftover) && failure == null) {
            int outcome = flushWithoutBlocking();
            if (outcome != WROTE_ALL) {
                return outcome;
            }
        }
        return WROTE_ALL;
    }

    /** As {@link #drainWithoutBlocking()}, waiting for the socket: {@link #WROTE_ALL} or {@link #LOCK_BUSY}. */
    private int drainIfIdle() {
        while ((!queue.isEmpty() || leftover) && failure == null) {
            if (!lock.tryLock()) {
                return LOCK_BUSY; // the holder re-checks the queue after unlocking
            }
            try {
                drainLocked();
            } finally {
                lock.unlock();
            }
        }
        return WROTE_ALL;
    }

    private void drainLocked() {
        if (failure != null) {
            queue.clear();
            return;
        }
        Outbound next;
        boolean wrote = false;
        try {
            lazySince = 0; // before taking the queue: a lazy frame queued later sets it again
            while ((next = poll()) != null) {
                if (next.fds().length > 0 && wrote) {
                    wire.flush(); // the fds must ride on this frame's own bytes
                }
                writeOne(next);
                wrote = true;
            }
            if (wrote || leftover) {
                wire.flush();
                leftover = false;
            }
        } catch (IOException | RuntimeException e) {
            IOException io = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
            failure = io;
            queue.clear();
            onFailure.accept(io);
        }
    }

    /**
     * Takes the next frame off the queue (lock holder only). A DATA frame directly followed by an
     * empty FIN on the same stream (a reply, then the close of its channel) leaves as one DATA frame
     * with the FIN flag: one frame less for both sides to handle, and the same meaning on the wire.
     */
    private Outbound poll() {
        Outbound next = queue.poll();
        if (next == null) {
            return null;
        }
        queuedBytes.addAndGet(-(next.len() + 16));
        if (next.control() == null && !next.fin()) {
            Outbound after = queue.peek(); // only the lock holder takes from the queue: poll() returns it
            if (after != null && after.control() == null && after.fin() && after.len() == 0
                    && after.streamId() == next.streamId() && after.fds().length == 0) {
                queue.poll();
                queuedBytes.addAndGet(-16);
                return new Outbound(null, next.streamId(), true, next.data(), next.off(), next.len(), next.fds(), next.lent());
            }
        }
        return next;
    }

    /** Adds up the bytes of the frames written from now on in {@code counter} (the session's counters). Before any write. */
    void countWrittenBytesIn(java.util.concurrent.atomic.LongAdder counter) {
        written = counter;
    }

    /** Writes every queued frame into the wire's buffer (lock held; the caller flushes). */
    private void writeQueued() throws IOException {
        lazySince = 0; // before taking the queue: a lazy frame queued later sets it again
        Outbound next;
        while ((next = poll()) != null) {
            writeOne(next);
        }
    }

    private void writeOne(Outbound o) throws IOException {
        if (o.control() != null) {
            byte[] frame = encoder.encode(o.control());
            wire.writeFrame(frame, null, 0, 0, o.fds());
            written.add(frame.length);
            return;
        }
        // the wire copies a small frame's head before writeFrame returns (Wire#writeFrame): one array does
        byte[] head = o.len() < LARGE_FRAME ? dataHead : new byte[DATA_HEAD];
        fillDataHead(head, o.streamId(), o.fin(), o.len());
        wire.writeFrame(head, o.data(), o.off(), o.len(), o.fds());
        written.add(DATA_HEAD + o.len());
        if (o.lent() != null) {
            o.lent().giveBack(); // the wire copied the payload (Wire#writeFrame)
        }
    }

    private static void fillDataHead(byte[] head, int streamId, boolean fin, int len) {
        int id = streamId & 0x7fffffff;
        head[0] = (byte) (id >>> 24);
        head[1] = (byte) (id >>> 16);
        head[2] = (byte) (id >>> 8);
        head[3] = (byte) id;
        head[4] = (byte) (fin ? 1 : 0);
        head[5] = (byte) (len >>> 16);
        head[6] = (byte) (len >>> 8);
        head[7] = (byte) len;
    }

    private void checkHealthy() {
        IOException f = failure;
        if (f != null) {
            throw new ConnectionLostException("connection lost: " + f.getMessage(), f);
        }
    }

    boolean failed() {
        return failure != null;
    }

    /** True while frames wait in the queue, or another thread is writing. */
    boolean hasQueued() {
        return failure == null && (!queue.isEmpty() || lock.isLocked());
    }

    /**
     * The session is over. On a wire with an I/O thread the frames still queued are left for the
     * wire to write before it closes the socket ({@link #onWritable()}); else they are dropped.
     * Never waits for the writing lock: its holder may be a sender blocked on a socket that only
     * the closing of the connection frees. (The encoder holds no native memory: nothing to free.)
     */
    void close() {
        if (!nonBlocking) {
            queue.clear();
        }
    }
}
