package io.libchan.internal.nio;

import io.libchan.internal.queue.ReadAssist;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.lang.System.Logger.Level;

/**
 * Who reads a {@link NioWire}: one holder of the reading role at a time. Normally the
 * connection's {@link IoLoop}; but a platform thread waiting in a receive on a channel of the
 * session may take the role while nobody reads ({@link ReadAssist}), so the reply it waits for
 * wakes it directly instead of waking the loop, which then wakes it (measured in
 * bench/README.md: one thread wake-up less per request/reply). Such a thread waits for input on a
 * selector of its own (opened for the connection on first use, closed a second after the last
 * such read), and only ever wakes other blocked receivers: a message for a future or a
 * subscription it reads is handed to the loop ({@link #handOff}), so no application callback
 * runs on it.
 *
 * <p>While a waiting thread reads, the loop stands by: its interest in the socket's input is off
 * (else each message would wake it too), and it looks again every {@link #ASSIST_GRACE_NANOS}:
 * it takes reading back when no waiting thread has read for that long, when one left with input
 * unread or others waiting, or when a frame queued lazily is due.
 *
 * <p>Thread-safe.
 */
final class ReadRole implements ReadAssist {
    /**
     * How long the loop leaves reading to the threads waiting for messages after one of them last
     * read: a caller that sends a request and waits for its reply reads that reply itself, as long
     * as it comes back within this time.
     */
    static final long ASSIST_GRACE_NANOS = 500_000;
    /** A waiting thread's selector is closed once no such thread has read for this long. */
    private static final long SELECTOR_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final NioWire wire;
    private final IoLoop loop;
    private final AtomicBoolean reading = new AtomicBoolean();
    /** The waiting thread that holds the role, or null. */
    private volatile Thread owner;
    /** When a waiting thread last took or left the role (never 0 once set), or 0. */
    private volatile long assistedAt;
    /** Waiting threads that could have read but found the role taken, and park. */
    private final AtomicInteger waitersWithoutRole = new AtomicInteger();
    /** A waiting thread left the role to the loop: it takes it at once. */
    private volatile boolean wanted;
    /** The last read filled the buffer: read again before waiting (written by the role holder). */
    private volatile boolean mayHaveMore;
    /** The loop woke a thread that may read (set by wake, read by the loop after its burst). */
    private volatile boolean wokeWaiter;
    /** The loop's interest in input is off while waiting threads read; a check is scheduled. */
    private volatile boolean standingBy;
    private final ConcurrentLinkedQueue<Runnable> handedOff = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    /** The waiting threads' selector, or null (guarded by the role; closed by the loop holding it). */
    private Selector selector;
    private IoLoop.Timer check;          // loop thread only
    private IoLoop.Timer selectorCloser; // loop thread only

    ReadRole(NioWire wire, IoLoop loop) {
        this.wire = wire;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ the loop

    /**
     * The socket has input: the loop reads it ({@code burst}) unless a waiting thread holds the
     * role, in which case the loop stands by.
     */
    void loopReads(IoAction burst) throws IOException {
        runHandedOff(); // what a waiting thread handed off goes before what is read now
        if (!reading.compareAndSet(false, true)) {
            standBy();
            return;
        }
        try {
            wanted = false;
            wokeWaiter = false;
            burst.run();
            if (wokeWaiter && waitersWithoutRole.get() <= 1) {
                // the thread just woken may read the next reply itself: leave it the socket
                assistedAt = System.nanoTime() | 1;
                standBy();
            }
        } finally {
            reading.set(false);
        }
    }

    /** Loop thread: stop listening for input and look again after the grace time. */
    private void standBy() {
        if (!standingBy) {
            standingBy = true;
            wire.setReading(false);
        }
        scheduleCheck(ASSIST_GRACE_NANOS);
    }

    private void scheduleCheck(long delay) {
        if (check != null) {
            if (check.deadline() - (System.nanoTime() + delay) <= 0) {
                return; // one is due sooner
            }
            check.cancel();
        }
        check = loop.schedule(delay, this::check);
    }

    /** Loop thread: takes reading back unless a waiting thread reads or read a moment ago. */
    private void check() {
        check = null;
        if (closed || wire.inputEnded()) {
            return;
        }
        runHandedOff();
        long now = System.nanoTime();
        SpdySession s = wire.session();
        long lazy = s.lazyWriteDeadline();
        if (reading.get()) {
            scheduleCheck(ASSIST_GRACE_NANOS); // a waiting thread reads (and flushes lazy frames itself)
            return;
        }
        if (lazy != 0 && lazy - now <= 0) {
            s.flushLazyWrites();
            lazy = s.lazyWriteDeadline();
        }
        long since = now - assistedAt;
        if (!wanted && !mayHaveMore && assistedAt != 0 && since < ASSIST_GRACE_NANOS) {
            long wait = ASSIST_GRACE_NANOS - since;
            scheduleCheck(lazy == 0 ? wait : Math.max(0, Math.min(wait, lazy - now)));
            return;
        }
        if (lazy != 0) {
            wire.scheduleOnIoThread(lazy, s::flushLazyWrites);
        }
        wanted = false;
        standingBy = false;
        wire.setReading(true); // input that waits is reported by the next select
        if (selector != null && selectorCloser == null) {
            selectorCloser = loop.schedule(SELECTOR_IDLE_NANOS, this::closeIdleSelector);
        }
    }

    /** Loop thread: frees the waiting threads' selector (two file descriptors) of a connection they no longer read. */
    private void closeIdleSelector() {
        selectorCloser = null;
        if (selector == null || closed) {
            return;
        }
        if (System.nanoTime() - assistedAt < SELECTOR_IDLE_NANOS || !reading.compareAndSet(false, true)) {
            selectorCloser = loop.schedule(SELECTOR_IDLE_NANOS, this::closeIdleSelector);
            return;
        }
        try {
            closeSelector();
        } finally {
            reading.set(false);
        }
    }

    private void closeSelector() {
        Selector s = selector;
        selector = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** The connection closed: every thread waiting on it is woken and its selector freed. */
    void closed() {
        closed = true;
        Thread t = owner;
        if (t != null) {
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
        }
        if (reading.compareAndSet(false, true)) {
            closeSelector(); // else the holder closes it as it leaves
        }
        handOffToLoopOrRunHere();
    }

    // ------------------------------------------------------------------ waiting threads

    /**
     * For a thread waiting for a message on a queue this connection feeds: reads the connection
     * until the message came, if no other thread reads and the session allows it, else parks.
     */
    @Override
    public void await(BooleanSupplier waiting, long deadline, Object blocker) {
        SpdySession s = wire.session();
        Thread me = Thread.currentThread();
        boolean mayRead = s != null && !closed && !wire.inputEnded() && !wire.paused() && !loop.inLoop()
                && s.mayReadWhileWaiting(me);
        if (mayRead) {
            waitersWithoutRole.incrementAndGet(); // before trying the role: a leaving reader sees us or we see it gone
            if (reading.compareAndSet(false, true)) {
                waitersWithoutRole.decrementAndGet();
                readWhile(s, me, waiting, deadline);
                return;
            }
        }
        try {
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(blocker);
            } else {
                LockSupport.parkNanos(blocker, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(60)));
            }
        } finally {
            if (mayRead) {
                waitersWithoutRole.decrementAndGet();
            }
        }
    }

    private void readWhile(SpdySession s, Thread me, BooleanSupplier waiting, long deadline) {
        owner = me;
        assistedAt = System.nanoTime() | 1;
        ByteBuffer buf = BufferPool.take();
        try {
            if (selector == null && !closed) {
                selector = wire.io().channel().provider().openSelector();
                wire.io().channel().register(selector, SelectionKey.OP_READ);
            }
            while (waiting.getAsBoolean() && !closed && !wire.inputEnded() && !wire.paused() && !me.isInterrupted()
                    && (deadline == Long.MAX_VALUE || deadline - System.nanoTime() > 0)) {
                readOnce(s, buf, deadline);
            }
        } catch (ClosedSelectorException | IOException e) {
            if (!closed) {
                wire.failed(e); // the connection broke under us: the session hears it once
            }
        } catch (Throwable e) {
            wire.failed(e); // a bug or an Error while handling input: this session ends, the waiting thread goes on
        } finally {
            BufferPool.give(buf);
            if (closed) {
                closeSelector();
            }
            owner = null;
            assistedAt = System.nanoTime() | 1;
            reading.set(false);
            if (mayHaveMore || waitersWithoutRole.get() > 0 || wire.paused()
                    || (!standingBy && s.lazyWriteDeadline() != 0)) {
                wanted = true; // unread input, others waiting, or a lazy frame nobody will time: the loop takes over now
                wakeLoop();
            }
        }
    }

    /**
     * One wait for input (on this connection's own selector, bounded by the session's next lazy
     * write) and one read, by a waiting thread that holds the role.
     */
    private void readOnce(SpdySession s, ByteBuffer buf, long deadline) throws IOException {
        if (!mayHaveMore) {
            long lazy = s.lazyWriteDeadline();
            long now = System.nanoTime();
            if (lazy != 0 && lazy - now <= 0) {
                s.flushLazyWrites();
                lazy = s.lazyWriteDeadline();
            }
            long until = lazy == 0 || (deadline != Long.MAX_VALUE && deadline - lazy < 0) ? deadline : lazy;
            int ready;
            if (until == Long.MAX_VALUE) {
                ready = selector.select(IGNORE_KEY);
            } else {
                long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now + 999_999));
                ready = selector.select(IGNORE_KEY, millis);
            }
            if (ready == 0) {
                if (lazy != 0 && System.nanoTime() - lazy >= 0) {
                    s.flushLazyWrites();
                }
                return;
            }
        }
        int n = wire.readAndFeed(buf);
        mayHaveMore = n == wire.lastAsked() || (n >= 0 && wire.io().hasBufferedInput());
    }

    /** For {@code Selector.select(Consumer)}: one channel on the selector, no selected-key set to fill. */
    private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };

    private void wakeLoop() {
        try {
            loop.execute(this::checkNow);
        } catch (RejectedExecutionException e) {
            // the loop is gone: the connection with it
        }
    }

    private void checkNow() {
        if (check != null) {
            check.cancel();
            check = null;
        }
        if (standingBy || wanted) {
            check();
        }
        runHandedOff();
    }

    @Override
    public void wake(Thread waiter) {
        if (waiter == Thread.currentThread()) {
            return; // the reader delivered to itself
        }
        if (waiter == owner) {
            Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
            return;
        }
        LockSupport.unpark(waiter);
        SpdySession s = wire.session();
        if (loop.inLoop() && s != null && s.mayReadWhileWaiting(waiter)) {
            wokeWaiter = true;
        }
    }

    @Override
    public boolean handOff(Runnable signal) {
        if (Thread.currentThread() != owner) {
            return false;
        }
        handedOff.add(signal);
        handOffToLoopOrRunHere();
        return true;
    }

    private void handOffToLoopOrRunHere() {
        if (handedOff.isEmpty()) {
            return;
        }
        try {
            loop.execute(this::runHandedOff);
        } catch (RejectedExecutionException e) {
            runHandedOff(); // the loop is gone: whoever polls a signal first runs it
        }
    }

    private void runHandedOff() {
        Runnable signal;
        while ((signal = handedOff.poll()) != null) {
            try {
                signal.run();
            } catch (RuntimeException e) {
                System.getLogger(ReadRole.class.getName())
                        .log(System.Logger.Level.WARNING, "a callback failed on " + wire.describe() + ": " + e, e);
            }
        }
    }

    /** An I/O step that may fail. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }
}
