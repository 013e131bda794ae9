package io.libchan.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.lang.System.Logger.Level;

/**
 * The bytes that a group of sessions (a listener's; or one client session) received from peers
 * and the application has not taken yet, against {@link io.libchan.Settings#maxBufferedBytes()}.
 * While more than the limit is held, sessions pause reading (the peers meet TCP's window) and wait
 * here until the application has taken enough ({@link #whenRoom}); reading resumes below three
 * quarters of the limit.
 *
 * <p>A message can only be taken once all of it arrived, so if every session paused in the middle
 * of one, none could ever finish. One session at a time may therefore go on while the budget is
 * spent, to finish the messages it is in the middle of (the <em>overdraft</em>), while all
 * sessions together hold at most the limit plus {@link io.libchan.Settings#maxMessageBytes()}. A
 * holder that makes no progress for {@value #OVERDRAFT_SECONDS} s (a slow or hostile peer) has its
 * unfinished messages refused (their channels reset with {@link io.libchan.MessageTooLargeException}),
 * and the overdraft passes on. So the memory held stays below the limit plus one maximum message
 * plus a read buffer per I/O thread, and as long as the application takes messages, every
 * message that fits in that is eventually received.
 *
 * <p>Thread-safe.
 */
public final class InboundBudget {
    private static final System.Logger LOG = System.getLogger(InboundBudget.class.getName());
    static final long OVERDRAFT_SECONDS = 10;

    private final long limit;
    private final long resumeBelow;
    private final long maxOverdraft;
    private final Supplier<ScheduledExecutorService> timer;
    private final AtomicLong held = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> waiting = new ArrayList<>(); // guarded by lock
    /** Some session waits in {@link #waiting}: lets the release of every message skip the lock. */
    private volatile boolean anyWaiting;
    private volatile FlowControl overdraft;                    // written under lock
    private long overdraftHeld;                               // guarded by lock: what the holder held at the last look
    private long overdraftGrant;                              // guarded by lock: counts grants, for the timer
    /** The overdraft holder, paused until all together hold at most the limit plus the overdraft. */
    private volatile Runnable holderWaiting;

    /**
     * @param limit        the bytes the sessions may hold together
     * @param maxOverdraft how far one session may go past the limit to finish its messages
     */
    public InboundBudget(long limit, long maxOverdraft, Supplier<ScheduledExecutorService> timer) {
        this.limit = limit;
        this.resumeBelow = limit / 4 * 3;
        this.maxOverdraft = maxOverdraft;
        this.timer = timer;
    }

    /** Bytes held now. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }

    void hold(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        long now = held.addAndGet(-bytes);
        if (now < resumeBelow) {
            if (anyWaiting) {
                wakeWaiting();
            }
        } else if (holderWaiting != null && now <= limit + maxOverdraft) {
            wakeHolder();
        }
    }

    /** True while more than the limit is held. */
    boolean spent() {
        return held.get() > limit;
    }

    /**
     * Whether {@code session}, which is in the middle of a message, may read on although the budget
     * is spent: it holds the overdraft (taking it if nobody does), and all sessions together hold
     * at most the limit plus one maximum message. Past that, the holder waits with the others
     * (keeping the overdraft) until the application takes messages.
     *
     * @param sessionHeld the bytes {@code session} holds now
     */
    boolean overdraftAllows(FlowControl session, long sessionHeld) {
        lock.lock();
        try {
            if (overdraft == null) {
                overdraft = session;
                overdraftHeld = sessionHeld;
                long grant = ++overdraftGrant;
                scheduleExpiry(session, grant);
            } else if (overdraft != session) {
                return false;
            }
            return held.get() <= limit + maxOverdraft;
        } finally {
            lock.unlock();
        }
    }

    private void scheduleExpiry(FlowControl session, long grant) {
        try {
            timer.get().schedule(() -> expire(session, grant), OVERDRAFT_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            // no timer: the overdraft ends when its session ends or finishes its messages
        }
    }

    /**
     * {@value #OVERDRAFT_SECONDS} s after a grant: a holder that made progress keeps the overdraft
     * for as long again; one that did not has its unfinished messages refused, and it passes on.
     */
    private void expire(FlowControl session, long grant) {
        lock.lock();
        try {
            if (overdraft != session || overdraftGrant != grant) {
                return;
            }
            long now = session.held();
            if (now > overdraftHeld) {
                overdraftHeld = now;
                scheduleExpiry(session, grant);
                return;
            }
            overdraft = null;
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, () -> "a session did not go on with its messages within the overdraft time: they are refused");
        session.refuseUnfinished();
        wakeHolder();
        wakeWaiting();
    }

    /** True while {@code session} holds the overdraft. */
    boolean holdsOverdraft(FlowControl session) {
        return overdraft == session;
    }

    /** {@code session} has no unfinished message any more, or ended: the overdraft is free again. */
    void endOverdraft(FlowControl session) {
        if (overdraft != session) {
            return; // the common case, asked after every read: no lock
        }
        lock.lock();
        try {
            if (overdraft != session) {
                return;
            }
            overdraft = null;
        } finally {
            lock.unlock();
        }
        wakeHolder();
        wakeWaiting();
    }

    /**
     * For the overdraft holder: runs {@code resume} once all sessions together hold at most the
     * limit plus the overdraft again (at once if they do), or the overdraft was taken back.
     */
    void whenOverdraftRoom(Runnable resume) {
        lock.lock();
        try {
            if (held.get() > limit + maxOverdraft && overdraft != null) {
                holderWaiting = resume;
                return;
            }
        } finally {
            lock.unlock();
        }
        resume.run();
    }

    private void wakeHolder() {
        Runnable r;
        lock.lock();
        try {
            r = holderWaiting;
            holderWaiting = null;
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.run();
        }
    }

    /**
     * Runs {@code resume} once the budget may have room again: below three quarters of the limit,
     * or when the overdraft became free (a session in the middle of a message may take it). At once
     * if the budget is not spent now. {@code resume} re-checks and waits again if it must.
     */
    void whenRoom(Runnable resume) {
        lock.lock();
        try {
            if (spent()) {
                waiting.add(resume);
                anyWaiting = true;
                return;
            }
        } finally {
            lock.unlock();
        }
        resume.run();
    }

    private void wakeWaiting() {
        List<Runnable> wake;
        lock.lock();
        try {
            if (waiting.isEmpty()) {
                return;
            }
            wake = new ArrayList<>(waiting);
            waiting.clear();
            anyWaiting = false;
        } finally {
            lock.unlock();
        }
        wake.forEach(Runnable::run); // each re-checks and waits again if it must
    }
}
