package io.libchan.internal.session;

import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.internal.spdy.SpdyProtocolException;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.WindowUpdateFrame;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SPDY/3.1 flow control, on only with peers that ask for it (PROTOCOL.md, "Flow control").
 *
 * <p>Sending: a peer that sent SETTINGS (Java, jschan) gets per-stream windows from then on,
 * counted from the stream's start; a peer that speaks SPDY/3.1 (ALPN, or a session-level
 * WINDOW_UPDATE) also gets the session window. A peer that never sent SETTINGS (Go) is never
 * waited for. Receiving: with such peers we return stream credit when the application consumes
 * (so one unread channel stalls only itself) and session credit on receipt. With a peer that
 * ignores windows, memory is bounded by pausing the reader once too much is buffered unread.
 *
 * <p>Memory: every DATA byte received is held against the session's {@link InboundBudget} until
 * the application takes it (a message taken, bytes read from a byte stream) or it is dropped; a
 * wire that {@link Wire#pausesReading()} pauses while {@link #mayReceive()} is false. Window credit
 * and memory are counted apart: the bytes of an unfinished message go back to the peer's window
 * as they arrive (else a message longer than the window could never finish) but stay held.
 *
 * <p>All window fields, here and in {@link SessionStream}, are guarded by {@link #lock}.
 */
final class FlowControl {
    static final int SPDY_DEFAULT_WINDOW = 64 * 1024;
    /**
     * The session window a Java peer gets (PROTOCOL.md section 7). Session credit is returned on
     * receipt, so this bounds only the bytes in flight on the connection, not memory (the stream
     * windows do that); SPDY/3.1's 64 KiB would hold a bulk byte stream to one credit round trip
     * per 32 KiB.
     */
    static final int JAVA_SESSION_WINDOW = 16 * 1024 * 1024;

    private final SpdySession session;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int ourWindow;
    private final int creditThreshold;
    private final int javaCreditThreshold;
    private final long maxBufferedWithoutFlowControl;

    private boolean peerWindows;          // the peer sent SETTINGS
    private volatile int peerInitialWindow = SPDY_DEFAULT_WINDOW;
    private boolean peerSessionWindow;    // the peer speaks SPDY/3.1
    private long sessionWindow = SPDY_DEFAULT_WINDOW;
    private long sessionReceived;         // credit owed to the peer's session window
    private long buffered;                // bytes received and not yet consumed
    private boolean javaPeer;             // the peer agreed to libchan-ext: we granted it JAVA_SESSION_WINDOW
    private Runnable resumeReading;       // a wire that pauses reading waits for this to run
    private int windowWaiters;            // senders waiting for the peer's window
    private Runnable pausedReader;        // resumes the paused reader, which a sender waiting for the window needs

    /** Marks {@link #held} once the session ended: its bytes went back to the budget. */
    private static final long ENDED = Long.MIN_VALUE;
    private final InboundBudget budget;
    /** Bytes received and not yet taken or dropped (memory, not window); {@link #ENDED} at the end. */
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
    /** Streams in the middle of a message: those the application cannot take yet. */
    private final java.util.concurrent.atomic.AtomicInteger unfinished = new java.util.concurrent.atomic.AtomicInteger();

    FlowControl(SpdySession session, int ourWindow, long maxBuffered, InboundBudget budget) {
        this.session = session;
        this.budget = budget;
        this.ourWindow = ourWindow;
        // credit at half of the smaller of our window and SPDY's default, in case the peer ignored our SETTINGS
        this.creditThreshold = Math.max(1, Math.min(ourWindow, SPDY_DEFAULT_WINDOW) / 2);
        // a Java peer honours our SETTINGS: credit in half-window batches, 16x fewer WINDOW_UPDATEs
        this.javaCreditThreshold = Math.max(1, ourWindow / 2);
        this.maxBufferedWithoutFlowControl = maxBuffered;
    }

    int ourWindow() {
        return ourWindow;
    }

    /** The window the peer gives each new stream (SPDY's 64 KiB until its SETTINGS say otherwise). */
    int peerInitialWindow() {
        return peerInitialWindow; // volatile: read on every send, written (under the lock) by SETTINGS
    }

    boolean peerDoesFlowControl() {
        lock.lock();
        try {
            return peerWindows;
        } finally {
            lock.unlock();
        }
    }

    /** The peer speaks SPDY/3.1 (ALPN said so): its session window applies from the start. */
    void peerSpeaks31() {
        lock.lock();
        try {
            peerSessionWindow = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * SETTINGS from the peer: windows apply from now on; INITIAL_WINDOW_SIZE adjusts every stream,
     * including one being opened this very moment (a stream's window is the initial window plus
     * its own balance, so no stream can miss the change: one that did once kept SPDY's 64 KiB
     * against a peer crediting in 512 KiB batches, and its sender waited forever).
     */
    void onSettings(Integer initialWindow) {
        lock.lock();
        try {
            peerWindows = true;
            if (initialWindow != null) {
                peerInitialWindow = initialWindow;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        session.sendWindowGrew(null);
    }

    void onWindowUpdate(SessionStream s, int delta) {
        lock.lock();
        try {
            if (s == null) {
                peerSessionWindow = true;
                sessionWindow += delta;
            } else {
                s.sendBalance += delta;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        session.sendWindowGrew(s);
    }

    /** Wakes senders waiting for a window (the session or a stream ended). */
    void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes send window for up to {@code want} bytes on {@code s}, waiting until {@code deadline}.
     *
     * @param whole when true, waits for all of {@code want} (a jschan message must be one frame)
     * @return the bytes granted, at least one
     */
    /**
     * Takes {@code len} bytes of the peer's window for {@code s} at once if it grants them now; never
     * waits (a send from a thread that must not block, such as the connection's I/O thread).
     */
    boolean tryAcquireAll(SessionStream s, int len) {
        lock.lock();
        try {
            session.checkOpenForWrite(s);
            long available = Long.MAX_VALUE;
            if (peerWindows) {
                available = peerInitialWindow + s.sendBalance;
                if (peerSessionWindow) {
                    available = Math.min(available, sessionWindow);
                }
            }
            if (available < len) {
                return false;
            }
            s.sendBalance -= len;
            sessionWindow -= len;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} bytes of the peer's window for {@code s} if any is open now; never
     * waits. Returns the bytes taken, 0 when the window is closed.
     */
    int tryAcquireUpTo(SessionStream s, int max) {
        lock.lock();
        try {
            session.checkOpenForWrite(s);
            long available = availableLocked(s);
            int granted = (int) Math.max(0, Math.min(max, available));
            s.sendBalance -= granted;
            sessionWindow -= granted;
            return granted;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back window taken by {@link #tryAcquireUpTo} and not used. */
    void refund(SessionStream s, int bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            s.sendBalance += bytes;
            sessionWindow += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** True when the peer's window for {@code s} is open now. */
    boolean windowOpen(SessionStream s) {
        lock.lock();
        try {
            return availableLocked(s) > 0;
        } finally {
            lock.unlock();
        }
    }

    private long availableLocked(SessionStream s) {
        long available = Long.MAX_VALUE;
        if (peerWindows) {
            available = peerInitialWindow + s.sendBalance;
            if (peerSessionWindow) {
                available = Math.min(available, sessionWindow);
            }
        }
        return available;
    }

    int acquire(SessionStream s, int want, boolean whole, long deadline) {
        lock.lock();
        try {
            while (true) {
                session.checkOpenForWrite(s);
                long available = Long.MAX_VALUE;
                if (peerWindows) {
                    available = peerInitialWindow + s.sendBalance;
                    if (peerSessionWindow) {
                        available = Math.min(available, sessionWindow);
                    }
                }
                if (available >= want || (!whole && available > 0)) {
                    int granted = (int) Math.min(want, available);
                    s.sendBalance -= granted;
                    sessionWindow -= granted;
                    return granted;
                }
                long remaining = deadline == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(30) : deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new ChannelTimeoutException("send timed out waiting for the peer's flow-control window");
                }
                windowWaiters++;
                Runnable reader = pausedReader;
                if (reader != null) {
                    pausedReader = null;
                    reader.run(); // the WINDOW_UPDATE we wait for must be read: the reader looks again (mayReceive)
                }
                try {
                    changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ChannelInterruptedException(e);
                } finally {
                    windowWaiters--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while a sender waits for the peer's window: the peer holds us back, it is not dead. */
    boolean sendersWaitForWindow() {
        lock.lock();
        try {
            return windowWaiters > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The peer turned out to be a Java libchan (libchan-ext): the WINDOW_UPDATE for stream 0 that
     * grows its session window to {@link #JAVA_SESSION_WINDOW}, once; null after the first call.
     */
    WindowUpdateFrame growSessionWindowForJavaPeer() {
        lock.lock();
        try {
            if (javaPeer) {
                return null;
            }
            javaPeer = true;
            return new WindowUpdateFrame(0, JAVA_SESSION_WINDOW - SPDY_DEFAULT_WINDOW);
        } finally {
            lock.unlock();
        }
    }

    /**
     * DATA arrived (reader thread): session credit on receipt; pauses the reader if a window-less
     * peer floods us, or, on a wire whose reader must not block, fails with a connection error.
     */
    void received(int bytes) throws SpdyProtocolException {
        hold(bytes);
        WindowUpdateFrame update = null;
        lock.lock();
        try {
            buffered += bytes;
            if (peerWindows) {
                sessionReceived += bytes;
                if (sessionReceived >= (javaPeer ? JAVA_SESSION_WINDOW / 4 : creditThreshold)) {
                    update = new WindowUpdateFrame(0, (int) sessionReceived);
                    sessionReceived = 0;
                }
            }
            if (session.wire().pausesReading()) {
                // the wire asks mayReceive() after each read and pauses reading: TCP back-pressure
            } else if (!peerWindows || buffered > 4 * maxBufferedWithoutFlowControl) {
                // a peer that ignores windows, or overran them (a burst sent before our SETTINGS
                // arrived): TCP back-pressure is the only flow control left
                if (buffered > maxBufferedWithoutFlowControl && !session.wire().readerMayBlock()) {
                    // a reader on an I/O thread serving other connections must not pause: the session fails
                    throw SpdyProtocolException.connectionError(SpdyStatus.GOAWAY_PROTOCOL_ERROR,
                            "the peer sent " + buffered + " bytes nobody read yet, past its flow-control windows", null);
                }
                while (buffered > maxBufferedWithoutFlowControl && session.isAlive()) {
                    // TCP back-pressure is the only flow control a Go peer knows
                    changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (update != null) {
            session.writeSoon(update);
        }
    }

    /**
     * False while more input must wait: a peer that ignores windows (or overran them) has more
     * unread bytes buffered than the session may hold. A wire that {@link Wire#pausesReading()}
     * asks after every read.
     */
    boolean mayReceive() {
        lock.lock();
        try {
            if (!mayReceiveLocked()) {
                return false;
            }
            if (windowWaiters > 0) {
                // our senders wait for this peer's WINDOW_UPDATEs: stopping to read would stop them
                // too, and with them the application that should free the budget (the peer's
                // windows bound what it sends meanwhile)
                return true;
            }
        } finally {
            lock.unlock();
        }
        boolean finishing = unfinished.get() > 0;
        if (!finishing) {
            budget.endOverdraft(this); // its messages are whole (if it held it): the others may go on
        }
        if (!budget.spent()) {
            return true;
        }
        // the budget is spent: only a session in the middle of a message may go on, one at a time
        return finishing && budget.overdraftAllows(this, held());
    }

    private boolean mayReceiveLocked() {
        long limit = peerWindows ? 4 * maxBufferedWithoutFlowControl : maxBufferedWithoutFlowControl;
        return buffered <= limit;
    }

    /**
     * Runs {@code resume} once {@link #mayReceive()} may hold again (at once if it may now); the
     * caller asks again then, and waits again if it must.
     */
    void whenMayReceive(Runnable resume) {
        Runnable once = new Runnable() {
            private final java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void run() {
                if (ran.compareAndSet(false, true)) {
                    resume.run();
                }
            }
        };
        lock.lock();
        try {
            pausedReader = once;
            if (!mayReceiveLocked() && session.isAlive()) {
                resumeReading = once;
                return;
            }
        } finally {
            lock.unlock();
        }
        if (!session.isAlive()) {
            return;
        }
        if (budget.holdsOverdraft(this)) {
            budget.whenOverdraftRoom(once);
        } else {
            budget.whenRoom(once);
        }
    }

    // ------------------------------------------------------------------ memory

    private void hold(long bytes) {
        while (true) {
            long v = held.get();
            if (v == ENDED) {
                return;
            }
            if (held.compareAndSet(v, v + bytes)) {
                budget.hold(bytes);
                return;
            }
        }
    }

    /** {@code bytes} received on this session were taken by the application or dropped. */
    void released(long bytes) {
        while (true) {
            long v = held.get();
            if (v == ENDED) {
                return;
            }
            if (held.compareAndSet(v, v - bytes)) {
                budget.release(bytes);
                return;
            }
        }
    }

    /** Memory this session holds beyond the bytes it received (the empty room of a grown buffer), or gave back (negative). */
    void heldBeyondReceived(long bytes) {
        if (bytes > 0) {
            hold(bytes);
        } else if (bytes < 0) {
            released(-bytes);
        }
    }

    /** Bytes of this session held now. */
    long held() {
        long v = held.get();
        return v == ENDED ? 0 : v;
    }

    /** A stream began ({@code +1}) or finished ({@code -1}) a message that is not whole yet. */
    void unfinished(int delta) {
        unfinished.addAndGet(delta);
    }

    /** The budget takes the overdraft back: the messages this session left unfinished are refused. */
    void refuseUnfinished() {
        session.refuseUnfinishedMessages();
    }

    /** The session ended: whatever it held goes back to the budget, and so does the overdraft. */
    void ended() {
        long v = held.getAndSet(ENDED);
        if (v != ENDED && v != 0) {
            budget.release(v);
        }
        budget.endOverdraft(this);
        Runnable resume;
        lock.lock();
        try {
            resume = resumeReading;
            resumeReading = null;
        } finally {
            lock.unlock();
        }
        if (resume != null) {
            resume.run(); // a paused reader finds the session over
        }
    }

    /** The application consumed {@code bytes} of {@code s}: credit the stream window. */
    void consumed(SessionStream s, int bytes) {
        WindowUpdateFrame update = null;
        Runnable resume = null;
        boolean finished = s.remoteFinished(); // read before taking our lock: the stream calls in holding its own
        lock.lock();
        try {
            buffered -= bytes;
            if (buffered < maxBufferedWithoutFlowControl / 2) {
                changed.signalAll();
                resume = resumeReading;
                resumeReading = null;
            }
            if (peerWindows && !finished) {
                s.creditPending += bytes;
                if (s.creditPending >= (session.peerIsJava() ? javaCreditThreshold : creditThreshold)) {
                    update = new WindowUpdateFrame(s.id, s.creditPending);
                    s.creditPending = 0;
                }
            }
        } finally {
            lock.unlock();
        }
        if (update != null) {
            session.writeSoon(update);
        }
        if (resume != null) {
            resume.run();
        }
    }

    /** Bytes that arrived for nobody (a closed reader, a write-only stream): credit them at once. */
    void consumedAndDropped(SessionStream s, int bytes) {
        consumed(s, bytes);
        released(bytes);
    }
}
