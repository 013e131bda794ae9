package io.libchan.undertow.internal.server;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.Transport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sessions started by the HTTP handlers, waiting for {@code Listener.accept()}: a bounded backlog,
 * so a server whose application does not accept refuses new sessions (503) instead of piling them
 * up. In push mode every session goes to a callback on an executor instead. A handler that answers
 * before its session exists (a WebSocket's 101, a tunnel's 200) takes a seat first
 * ({@link #reserve()}), so that a client told it is in is never turned away after: seats taken
 * count against the backlog as sessions waiting do. Like a raw listener's {@code maxConnections},
 * it also refuses sessions while it holds {@code maxConnections} live ones (taken or not; seats
 * count here too). Thread-safe; all fields but {@link #live} (thread-safe itself) are guarded by
 * {@link #lock}.
 */
public final class SessionQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Transport> waiting = new ArrayDeque<>();
    /** Futures of {@link #takeAsync}, waiting for a session; only while {@code waiting} is empty. */
    private final ArrayDeque<java.util.concurrent.CompletableFuture<Transport>> takers = new ArrayDeque<>();
    private final int backlog;
    private final int maxConnections;
    /** Seats {@link #reserve() reserved} for sessions being started, not offered yet. */
    private int reserved;
    private final Consumer<Transport> callback;
    private final Executor executor;
    private final LiveSessions live = new LiveSessions();
    private boolean closed;

    /**
     * @param callback when not null, every session is handed to it on {@code executor} and
     *                 {@link #take} is not used
     */
    public SessionQueue(int backlog, int maxConnections, Consumer<Transport> callback, Executor executor) {
        this.backlog = backlog;
        this.maxConnections = maxConnections;
        this.callback = callback;
        this.executor = executor;
    }

    /** True when a new session would be taken: the handlers check before they start one. */
    public boolean hasRoom() {
        lock.lock();
        try {
            return !closed && backlogRoom() && live.size() + reserved < maxConnections;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a seat for a session about to be started, before the client is told it is in; give it
     * back with {@link #release()} if no session comes of it, or use it with {@link #offerReserved}.
     *
     * @return false when there is no room (answer 503)
     */
    public boolean reserve() {
        lock.lock();
        try {
            if (closed || !backlogRoom() || live.size() + reserved >= maxConnections) {
                return false;
            }
            reserved++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a seat {@link #reserve()} took, for a session that was never started. */
    public void release() {
        lock.lock();
        try {
            reserved = Math.max(0, reserved - 1);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #offer}, in the seat {@link #reserve()} took: it fails only once the queue is closed. */
    public boolean offerReserved(Transport session) {
        return offer(session, true);
    }

    /** Hands over a started session; aborts it and returns false when there is no room. */
    public boolean offer(Transport session) {
        return offer(session, false);
    }

    private boolean offer(Transport session, boolean seated) {
        live.add(session); // before anyone can take it: a shutdown racing this offer still finds it
        boolean ok;
        java.util.concurrent.CompletableFuture<Transport> taker = null;
        lock.lock();
        try {
            if (seated) {
                reserved = Math.max(0, reserved - 1);
            }
            // a seated session was counted when its seat was taken; any other is in live already
            ok = !closed && backlogRoom() && (seated || live.size() + reserved <= maxConnections);
            if (ok && callback == null) {
                taker = takers.pollFirst();
                if (taker == null) {
                    waiting.addLast(session);
                    arrived.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (taker != null) {
            taker.complete(session); // outside the lock: its callbacks run here
            return true;
        }
        if (ok && callback != null) {
            try {
                executor.execute(() -> callback.accept(session));
            } catch (RejectedExecutionException e) {
                ok = false;
            }
        }
        if (!ok) {
            session.abort();
        }
        return ok;
    }

    /** Under {@link #lock}: room for one more session not taken yet (always, in push mode). */
    private boolean backlogRoom() {
        return callback != null || waiting.size() + reserved < backlog;
    }

    /**
     * Why a session would be refused now, for {@code libchan.connections.refused}:
     * {@code max_connections} at the connection limit, else {@code backlog_full}.
     */
    public String refusalReason() {
        lock.lock();
        try {
            return live.size() + reserved >= maxConnections ? "max_connections" : "backlog_full";
        } finally {
            lock.unlock();
        }
    }

    /** What a refused client is told (after {@code libchan: }), as {@link #refusalReason()} says why. */
    public String refusalText() {
        return "max_connections".equals(refusalReason()) ? "at its limit of " + maxConnections + " sessions"
                : "too many sessions waiting to be accepted";
    }

    /** Its limit of live sessions ({@code Settings.maxConnections()}). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Waits for the next session; {@code timeout} null waits without a deadline. */
    public Transport take(Duration timeout, String what) {
        if (callback != null) {
            throw new IllegalStateException(what + " hands its sessions to a callback; accept() is not used");
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (waiting.isEmpty()) {
                if (closed) {
                    throw new ChannelClosedException("listener closed: " + what);
                }
                if (deadline == Long.MAX_VALUE) {
                    arrived.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ChannelTimeoutException("no session arrived within " + timeout.toMillis() + " ms");
                    }
                    arrived.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(60)));
                }
            }
            return waiting.pollFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next session, without blocking; fails with {@link ChannelClosedException} once closed.
     * Cancelling the future before it completes withdraws it.
     */
    public java.util.concurrent.CompletableFuture<Transport> takeAsync(String what) {
        if (callback != null) {
            throw new IllegalStateException(what + " hands its sessions to a callback; accept() is not used");
        }
        java.util.concurrent.CompletableFuture<Transport> future = new java.util.concurrent.CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                lock.lock();
                try {
                    if (!takers.remove(this)) {
                        return false;
                    }
                } finally {
                    lock.unlock();
                }
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Transport next;
        lock.lock();
        try {
            next = waiting.pollFirst();
            if (next == null && !closed) {
                takers.addLast(future);
                return future;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            future.complete(next);
        } else {
            future.completeExceptionally(new ChannelClosedException("listener closed: " + what));
        }
        return future;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Every session offered that has not ended, taken or not. */
    public LiveSessions live() {
        return live;
    }

    /** Stops taking sessions; those still waiting are aborted. Idempotent. */
    public void close() {
        ArrayDeque<Transport> left;
        ArrayDeque<java.util.concurrent.CompletableFuture<Transport>> waitingTakers;
        lock.lock();
        try {
            closed = true;
            left = new ArrayDeque<>(waiting);
            waiting.clear();
            waitingTakers = new ArrayDeque<>(takers);
            takers.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        left.forEach(Transport::abort);
        waitingTakers.forEach(f -> f.completeExceptionally(new ChannelClosedException("listener closed")));
    }
}
