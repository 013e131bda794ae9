package io.libchan.internal.transport;

import io.libchan.internal.queue.ReadAssist;
import io.libchan.internal.session.SpdySession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The reading side of a {@link ChannelSocketWire}: reading is a role one thread holds at a time.
 * The session's reader thread runs {@link #run}, but a platform thread waiting in a receive on a
 * channel of this connection may take the role while nobody reads ({@link ReadAssist}): the reply
 * it waits for then wakes it directly, rather than waking the reader, which wakes it (a
 * request/reply client saves one thread wake-up per call; measured in bench/README.md). Such a
 * thread only wakes other threads blocked in a receive: a message for a future or a subscription
 * it reads is handed to the reader thread ({@link #handOff}), so no application callback runs on it.
 *
 * <p>Thread-safe. Only the role holder selects, reads and feeds the session; a connection that
 * fails or ends is reported to the session once and ends every reader.
 */
final class SharedSocketReader implements ReadAssist {
    /**
     * How long the connection's reader leaves reading to the threads waiting for messages after
     * one of them last read: a caller that sends a request and waits for its reply reads that
     * reply itself, as long as it comes back within this time.
     */
    static final long ASSIST_GRACE_NANOS = 500_000;

    private final SocketChannel channel;
    private final Selector readSelector;
    // the reading role: one thread at a time selects, reads and feeds the session, either the
    // session's reader (run) or a thread waiting for a message (await)
    private final AtomicBoolean reading = new AtomicBoolean();
    /** The read buffer, room for several DATA frames decoded in place (guarded by the role). */
    private final ByteBuffer in = ByteBuffer.allocate(128 * 1024);
    /** The last read filled the buffer: read again before waiting (written by the role holder). */
    private volatile boolean mayHaveMore = true;
    private volatile SpdySession session;
    private volatile Thread reader;
    /** The waiting thread that holds the role, or null. */
    private volatile Thread owner;
    private volatile boolean ended;
    /** When a waiting thread last took or left the role (never 0 once set), or 0. */
    private volatile long assistedAt;
    /** Waiting threads that could have read but found the role taken, and park. */
    private final AtomicInteger waitersWithoutRole = new AtomicInteger();
    /** The reader parks until the waiting thread that reads leaves the role. */
    private volatile boolean readerIdle;
    /** A waiting thread left the role to the reader: it takes it at once. */
    private volatile boolean wanted;
    /** The role holder woke a thread that may read (set by wake, read by the reader after its read). */
    private volatile boolean wokeWaiter;
    /** Signals of takers that run application code, met by a waiting thread that reads: the reader runs them ({@link #handOff}). */
    private final ConcurrentLinkedQueue<Runnable> handedOff = new ConcurrentLinkedQueue<>();
    /** The reader left {@link #run}: signals are no longer handed off. */
    private volatile boolean readerGone;

    SharedSocketReader(SocketChannel channel, Selector readSelector) {
        this.channel = channel;
        this.readSelector = readSelector;
    }

    /** True on a waiting thread that holds the reading role. */
    boolean callerReads() {
        return Thread.currentThread() == owner;
    }

    /** Wakes the reader thread if it is parked (the connection was closed). */
    void wakeReader() {
        LockSupport.unpark(reader);
    }

    /**
     * Reads until the connection ends, feeding {@code session}; runs on the session's reader
     * thread. While threads waiting for a message read for it ({@link #await}), it stays parked:
     * it takes the reading role back when none has read for {@link #ASSIST_GRACE_NANOS}, when one
     * leaves with others still waiting, or when a lazily queued frame is due.
     */
    void run(SpdySession session) {
        reader = Thread.currentThread();
        this.session = session;
        try {
            readUntilEnded(session);
        } finally {
            readerGone = true;
            runHandedOff();
        }
    }

    private void readUntilEnded(SpdySession session) {
        while (!ended) {
            runHandedOff();
            long now = System.nanoTime();
            long sinceAssist = now - assistedAt;
            if (reading.get()) {
                // a waiting thread reads: it unparks us when it leaves
                readerIdle = true;
                if (reading.get() && handedOff.isEmpty()) {
                    LockSupport.park(this);
                }
                readerIdle = false;
                continue;
            }
            long lazy = session.lazyWriteDeadline();
            if (assistedAt != 0 && sinceAssist < ASSIST_GRACE_NANOS && !mayHaveMore && !wanted
                    && (lazy == 0 || lazy - now > 0)) {
                // a waiting thread read a moment ago: it will likely read the next reply too
                long pause = ASSIST_GRACE_NANOS - sinceAssist;
                LockSupport.parkNanos(this, lazy == 0 ? pause : Math.min(pause, lazy - now));
                continue;
            }
            if (!reading.compareAndSet(false, true)) {
                continue;
            }
            try {
                runHandedOff(); // what the last waiting thread handed off goes before what we read now
                wanted = false;
                wokeWaiter = false;
                readOnce(session, Long.MAX_VALUE);
                if (wokeWaiter && waitersWithoutRole.get() <= 1) {
                    assistedAt = System.nanoTime() | 1; // the thread just woken may read the next reply itself
                }
            } finally {
                reading.set(false);
            }
        }
    }

    /**
     * For a thread waiting for a message on a queue this connection feeds: reads the connection
     * until the message came, if no other thread reads and the session allows it, else parks.
     */
    @Override
    public void await(BooleanSupplier waiting, long deadline, Object blocker) {
        SpdySession s = session;
        Thread me = Thread.currentThread();
        boolean mayRead = s != null && !ended && s.mayReadWhileWaiting(me);
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
        try {
            while (waiting.getAsBoolean() && !ended && !me.isInterrupted()
                    && (deadline == Long.MAX_VALUE || deadline - System.nanoTime() > 0)) {
                readOnce(s, deadline);
            }
        } finally {
            owner = null;
            assistedAt = System.nanoTime() | 1;
            reading.set(false);
            if (mayHaveMore || waitersWithoutRole.get() > 0) {
                wanted = true; // unread input, or others wait: the connection's reader takes over now
                LockSupport.unpark(reader);
            } else if (readerIdle) {
                LockSupport.unpark(reader); // back to waiting out the grace time
            }
        }
    }

    @Override
    public void wake(Thread waiter) {
        if (waiter == Thread.currentThread()) {
            return; // the reader delivered to itself
        }
        if (waiter == owner) {
            readSelector.wakeup();
            return;
        }
        LockSupport.unpark(waiter);
        SpdySession s = session;
        if (s != null && s.mayReadWhileWaiting(waiter)) {
            wokeWaiter = true;
        }
    }

    @Override
    public boolean handOff(Runnable signal) {
        if (Thread.currentThread() != owner || readerGone) {
            return false;
        }
        handedOff.add(signal);
        LockSupport.unpark(reader);
        if (readerGone) {
            runHandedOff(); // the reader left meanwhile: whoever polls a signal first runs it
        }
        return true;
    }

    private void runHandedOff() {
        Runnable signal;
        while ((signal = handedOff.poll()) != null) {
            try {
                signal.run();
            } catch (RuntimeException e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e); // reported; reading goes on
            }
        }
    }

    /**
     * One wait for input and one read, by the holder of the reading role. A failed or ended
     * connection is reported to the session and ends every reader; only a bug in handling the
     * bytes throws (after failing the session).
     */
    private void readOnce(SpdySession s, long deadline) {
        try {
            if (!mayHaveMore) {
                // a read that did not fill the buffer took all there was: wait, rather than
                // spend a system call on a read that returns 0 (no selected-key set to fill
                // and clear: one channel), but no longer than a lazily queued frame may wait
                long lazy = s.lazyWriteDeadline();
                long now = System.nanoTime();
                if (lazy != 0 && lazy - now <= 0) {
                    s.flushLazyWrites();
                    lazy = s.lazyWriteDeadline();
                }
                long until = lazy == 0 || (deadline != Long.MAX_VALUE && deadline - lazy < 0) ? deadline : lazy;
                int ready;
                if (until == Long.MAX_VALUE) {
                    ready = readSelector.select(ChannelSocketWire.IGNORE_KEY);
                } else {
                    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now + 999_999));
                    ready = readSelector.select(ChannelSocketWire.IGNORE_KEY, millis);
                }
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                if (ready == 0) {
                    if (lazy != 0 && System.nanoTime() - lazy >= 0) {
                        s.flushLazyWrites();
                    }
                    return;
                }
            }
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                end();
                s.onEndOfInput();
                return;
            }
            mayHaveMore = n == in.capacity();
            if (n > 0) {
                in.flip();
                s.onBytes(in);
            }
        } catch (ClosedSelectorException e) {
            end();
            s.onInputFailed(new ClosedChannelException());
        } catch (IOException e) {
            end();
            s.onInputFailed(e);
        } catch (RuntimeException | Error e) {
            end();
            s.onInputFailed(new IOException("session reader failed: " + e, e));
            throw e;
        }
    }

    private void end() {
        ended = true;
        LockSupport.unpark(reader);
    }

}
