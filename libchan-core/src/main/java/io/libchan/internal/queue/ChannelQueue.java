package io.libchan.internal.queue;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The synchronisation core of a channel: Go's channel semantics (unbuffered rendezvous or an
 * n-slot buffer, competing receivers, close = end after the last message), plus failure and
 * receiver-side close, with blocking, future and push-subscription takers.
 *
 * <p>Exactly-once: a message leaves the queue under the lock to exactly one taker, and a
 * withdrawn (timed-out, interrupted, cancelled) operation is removed under the same lock, so it
 * either happened or it did not. Every wake-up is issued after the state change it reports,
 * outside the lock: there is no lost wake-up and no callback under the lock.
 *
 * <p>Invariant (guarded by {@code lock}): takers wait only while {@code buffered} and
 * {@code blockedPuts} are both empty.
 */
public final class ChannelQueue {
    /** Stands in for a null message, which ArrayDeque cannot hold. */
    private static final Object NULL = new Object();
    /** Returned by {@link #pollLocked} when there is nothing to take. */
    static final Object NONE = new Object();

    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    // all guarded by lock:
    // made on first use: a fresh reply channel's one message mostly goes straight to a waiting
    // taker, and only in-memory senders ever block, so most queues need neither (issue 14)
    private ArrayDeque<Object> buffered;
    private ArrayDeque<PendingPut> blockedPuts;
    private final ArrayDeque<Taker> takers = new ArrayDeque<>(2);
    private PendingPut released; // set by pollLocked, to be signalled by its caller
    private boolean sendClosed;
    private LibchanException failure;
    private boolean receiveClosed;
    private volatile ReadAssist assist;

    /** @param capacity messages that may wait in the queue while their senders go on; 0 = rendezvous */
    public ChannelQueue(int capacity) {
        this.capacity = capacity;
    }

    static Object mask(Object item) {
        return item == null ? NULL : item;
    }

    static Object unmask(Object item) {
        return item == NULL ? null : item;
    }

    /** An item dropped undelivered: memory it holds against a budget is free now. */
    private static void released(Object item) {
        if (item instanceof Releasable) {
            ((Releasable) item).release();
        }
    }

    // ---------------------------------------------------------------- sending

    /** Blocks until the message is taken (or buffered); {@code deadline} from {@link System#nanoTime()}, or {@link Long#MAX_VALUE}. */
    public void put(Object message, long deadline) {
        Object item = mask(message);
        Taker wake = null;
        PendingPut pending = null;
        lock.lock();
        try {
            checkSendableLocked();
            if (!takers.isEmpty()) {
                wake = handToTakerLocked(item);
            } else if (bufferedCount() < capacity) {
                buffered().addLast(item);
            } else {
                pending = new PendingPut(item, Thread.currentThread(), null);
                blockedPuts().addLast(pending);
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            signal(wake);
        }
        if (pending != null) {
            awaitPut(pending, deadline);
        }
    }

    /** The future completes when a blocking put would return; cancelling it withdraws the message. */
    public CompletableFuture<Void> putAsync(Object message) {
        Object item = mask(message);
        WithdrawableFuture<Void> future = new WithdrawableFuture<>();
        Taker wake = null;
        lock.lock();
        try {
            checkSendableLocked();
            if (!takers.isEmpty()) {
                wake = handToTakerLocked(item);
            } else if (bufferedCount() < capacity) {
                buffered().addLast(item);
            } else {
                PendingPut pending = new PendingPut(item, null, future);
                blockedPuts().addLast(pending);
                future.withdrawWith(() -> withdrawPut(pending));
                return future;
            }
        } catch (LibchanException e) {
            future.completeExceptionally(e);
            return future;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            signal(wake);
        }
        future.complete(null);
        return future;
    }

    /**
     * Adds a message without blocking and regardless of capacity (the network delivers messages
     * whose memory is bounded by flow control, not by this queue).
     *
     * @return false, dropping the message, when the queue no longer accepts messages
     */
    public boolean offer(Object message) {
        Object item = mask(message);
        Taker wake = null;
        lock.lock();
        try {
            if (receiveClosed || sendClosed || failure != null) {
                return false;
            }
            if (!takers.isEmpty()) {
                wake = handToTakerLocked(item);
            } else {
                buffered().addLast(item);
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            signal(wake);
        }
        return true;
    }

    private void checkSendableLocked() {
        if (receiveClosed) {
            throw new ChannelClosedException("send on a channel whose receiver is closed");
        }
        if (sendClosed) {
            throw new ChannelClosedException("send on a closed channel");
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Signals a taker after the lock is released. A taker that runs application code is handed
     * to the connection's reader when this thread only reads for its own receive ({@link ReadAssist#handOff}).
     */
    private void signal(Taker taker) {
        ReadAssist a = assist;
        if (a != null && taker.signalRunsApplicationCode() && a.handOff(taker::signal)) {
            return;
        }
        taker.signal();
    }

    private Taker handToTakerLocked(Object item) {
        Taker taker = takers.pollFirst();
        if (taker.acceptLocked(item)) {
            takers.addLast(taker); // still has demand: queue up behind competing receivers
        }
        return taker;
    }

    private void awaitPut(PendingPut pending, long deadline) {
        boolean interrupted = false;
        while (!pending.done) {
            if (Thread.interrupted()) {
                if (withdrawPut(pending)) {
                    Thread.currentThread().interrupt();
                    throw new ChannelInterruptedException(new InterruptedException());
                }
                interrupted = true;
                continue;
            }
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    if (withdrawPut(pending)) {
                        throw new ChannelTimeoutException("send timed out: no receiver took the message");
                    }
                    continue;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (pending.error != null) {
            throw pending.error;
        }
    }

    private boolean withdrawPut(PendingPut pending) {
        lock.lock();
        try {
            return !pending.done && blockedPuts != null && blockedPuts.remove(pending);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Lets threads that wait in {@link #take} read the connection that feeds this queue while
     * they wait (see {@link ReadAssist}). Takers that start waiting afterwards use it.
     */
    public void assistWith(ReadAssist assist) {
        this.assist = assist;
    }

    /** Takes the next message, blocking until {@code deadline} ({@link Long#MAX_VALUE}: none). */
    public Object take(long deadline) {
        ThreadTaker me;
        Object item;
        PendingPut toRelease;
        lock.lock();
        try {
            item = pollLocked();
            toRelease = released;
            released = null;
            if (item == NONE) {
                LibchanException end = terminalLocked();
                if (end != null) {
                    throw end;
                }
                if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                    throw new ChannelTimeoutException("receive timed out");
                }
                me = new ThreadTaker(assist);
                takers.addLast(me);
            } else {
                me = null;
            }
        } finally {
            lock.unlock();
        }
        if (toRelease != null) {
            toRelease.signal();
        }
        return me == null ? unmask(item) : awaitTake(me, deadline);
    }

    /** The future completes with the next message; cancelling it before then takes nothing. */
    public CompletableFuture<Object> takeAsync() {
        FutureTaker taker = new FutureTaker();
        Object item;
        PendingPut toRelease;
        lock.lock();
        try {
            item = pollLocked();
            toRelease = released;
            released = null;
            if (item == NONE) {
                LibchanException end = terminalLocked();
                if (end != null) {
                    taker.future.completeExceptionally(end);
                } else {
                    takers.addLast(taker);
                    taker.future.withdrawWith(() -> withdrawTaker(taker));
                }
            }
        } finally {
            lock.unlock();
        }
        if (toRelease != null) {
            toRelease.signal();
        }
        if (item != NONE) {
            taker.future.complete(unmask(item));
        }
        return taker.future;
    }

    /** Subscribes a push consumer; see {@link QueueSubscription}. */
    public <T> void subscribe(java.util.concurrent.Flow.Subscriber<? super T> subscriber,
                              Function<Object, T> convert, Executor executor) {
        new QueueSubscription<>(this, subscriber, convert, executor).start();
    }

    private Object awaitTake(ThreadTaker me, long deadline) {
        boolean interrupted = false;
        while (!me.done) {
            if (Thread.interrupted()) {
                if (withdrawTaker(me)) {
                    Thread.currentThread().interrupt();
                    throw new ChannelInterruptedException(new InterruptedException());
                }
                interrupted = true;
                continue;
            }
            if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                if (withdrawTaker(me)) {
                    throw new ChannelTimeoutException("receive timed out");
                }
                continue;
            }
            if (me.assist != null) {
                me.assist.await(me, deadline, this);
            } else if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(60)));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (me.error != null) {
            throw me.error;
        }
        return unmask(me.item);
    }

    boolean withdrawTaker(Taker taker) {
        lock.lock();
        try {
            return takers.remove(taker);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the next message, releasing a blocked sender into {@link #released}; {@link #NONE} if empty. */
    Object pollLocked() {
        if (bufferedCount() > 0) {
            Object item = buffered.pollFirst();
            if (blockedPutCount() > 0 && buffered.size() < capacity) {
                PendingPut next = blockedPuts.pollFirst();
                buffered.addLast(next.item);
                next.releaseLocked();
                released = next;
            }
            return item;
        }
        if (blockedPutCount() > 0) {
            PendingPut next = blockedPuts.pollFirst();
            next.releaseLocked();
            released = next;
            return next.item;
        }
        return NONE;
    }

    PendingPut takeReleasedLocked() {
        PendingPut r = released;
        released = null;
        return r;
    }

    /** What a taker gets from an empty queue: null while the channel may still get messages. */
    LibchanException terminalLocked() {
        if (receiveClosed) {
            return new ChannelClosedException("receive on a closed receiver");
        }
        if (sendClosed) {
            return new EndOfChannelException();
        }
        return failure;
    }

    void registerLocked(Taker taker) {
        takers.addLast(taker);
    }

    boolean unregisterLocked(Taker taker) {
        return takers.remove(taker);
    }

    /** Puts taken-but-undelivered messages back at the head, in order (or to waiting takers). */
    List<Taker> giveBackLocked(ArrayDeque<Object> items) {
        List<Taker> wake = new ArrayList<>();
        if (receiveClosed) {
            items.forEach(ChannelQueue::released);
            items.clear();
            return wake;
        }
        while (!items.isEmpty() && !takers.isEmpty()) {
            wake.add(handToTakerLocked(items.pollFirst()));
        }
        while (!items.isEmpty()) {
            buffered().addFirst(items.pollLast());
        }
        return wake;
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    // ---------------------------------------------------------------- ending

    /** The sender's close: takers get the remaining messages, then end-of-channel. Idempotent. */
    public void closeSend() {
        List<Taker> wake;
        lock.lock();
        try {
            if (sendClosed || receiveClosed) {
                return;
            }
            sendClosed = true;
            wake = bufferedCount() == 0 && blockedPutCount() == 0 ? failTakersLocked(null) : List.of();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < wake.size(); i++) { // no lambda made per close
            signal(wake.get(i));
        }
    }

    /**
     * Fails the channel (e.g. connection lost): messages already queued are still delivered, then
     * takers get {@code error}; blocked senders and later sends fail with it. Ignored once ended.
     */
    public void fail(LibchanException error) {
        List<Taker> wake;
        List<PendingPut> puts;
        lock.lock();
        try {
            if (sendClosed || receiveClosed || failure != null) {
                return;
            }
            failure = error;
            puts = failPutsLocked(error);
            wake = bufferedCount() == 0 ? failTakersLocked(error) : List.of();
        } finally {
            lock.unlock();
        }
        puts.forEach(PendingPut::signal);
        for (int i = 0; i < wake.size(); i++) { // no lambda made per close
            signal(wake.get(i));
        }
    }

    /** The receiver's close: queued messages are dropped, blocked and later sends fail. Idempotent. */
    public void closeReceive() {
        List<Taker> wake;
        List<PendingPut> puts;
        lock.lock();
        try {
            if (receiveClosed) {
                return;
            }
            receiveClosed = true;
            if (buffered != null) {
                buffered.forEach(ChannelQueue::released);
                buffered.clear();
            }
            puts = failPutsLocked(new ChannelClosedException("the receiver closed the channel"));
            wake = failTakersLocked(new ChannelClosedException("receive on a closed receiver"));
        } finally {
            lock.unlock();
        }
        puts.forEach(PendingPut::signal);
        for (int i = 0; i < wake.size(); i++) { // no lambda made per close
            signal(wake.get(i));
        }
    }

    /** True once the receiving side closed: senders should stop. */
    public boolean isReceiveClosed() {
        lock.lock();
        try {
            return receiveClosed;
        } finally {
            lock.unlock();
        }
    }

    /** True once the sending side closed. */
    public boolean isSendClosed() {
        lock.lock();
        try {
            return sendClosed;
        } finally {
            lock.unlock();
        }
    }

    /** Messages waiting to be taken (buffered and with blocked senders). */
    public int size() {
        lock.lock();
        try {
            return bufferedCount() + blockedPutCount();
        } finally {
            lock.unlock();
        }
    }

    private List<Taker> failTakersLocked(LibchanException error) {
        if (takers.isEmpty()) {
            return List.of(); // the common end of a reply channel: nobody waits, nothing made
        }
        List<Taker> wake = new ArrayList<>(takers);
        takers.clear();
        for (Taker t : wake) {
            t.failLocked(error != null ? error : terminalLocked());
        }
        return wake;
    }

    private ArrayDeque<Object> buffered() {
        if (buffered == null) {
            buffered = new ArrayDeque<>(4);
        }
        return buffered;
    }

    private ArrayDeque<PendingPut> blockedPuts() {
        if (blockedPuts == null) {
            blockedPuts = new ArrayDeque<>(2);
        }
        return blockedPuts;
    }

    private int bufferedCount() {
        return buffered == null ? 0 : buffered.size();
    }

    private int blockedPutCount() {
        return blockedPuts == null ? 0 : blockedPuts.size();
    }

    private List<PendingPut> failPutsLocked(LibchanException error) {
        if (blockedPuts == null) {
            return List.of();
        }
        List<PendingPut> puts = new ArrayList<>(blockedPuts);
        blockedPuts.clear();
        for (PendingPut p : puts) {
            p.failLocked(error);
        }
        return puts;
    }
}
