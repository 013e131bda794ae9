package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.LibchanException;
import io.libchan.Sender;
import io.libchan.internal.queue.QueueReceiver;
import io.libchan.internal.queue.WithdrawableFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A channel whose messages we send to the peer, as the application's {@link Sender}. A send waits
 * for credit (the peer's reader is slow), then encodes and writes the message; sends on one channel
 * are serialised by {@link #sendLock}, so a message and the channels it opens stay in order. Async
 * sends queue in order and are written on the session executor as credit comes; while the peer
 * gives none they hold no thread (the reader's credit frame schedules the next write).
 */
final class OutboundChannel implements Sender {
    final long id;
    private final JsonSession session;
    private final Credit credit = new Credit(JsonFrames.CHANNEL_WINDOW);
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile LibchanException cancelled;
    private final ArrayDeque<AsyncSend> asyncSends = new ArrayDeque<>(0); // guarded by itself
    private boolean asyncRunning;                                        // guarded by asyncSends
    private boolean closeWhenSent;                                       // guarded by asyncSends
    private volatile boolean closing; // close() was called: new sends fail, queued async sends go first

    OutboundChannel(JsonSession session, long id) {
        this.session = session;
        this.id = id;
    }

    @Override
    public void send(Object message) {
        send(message, Long.MAX_VALUE);
    }

    @Override
    public void send(Object message, Duration timeout) {
        send(message, QueueReceiver.deadline(timeout));
    }

    private void send(Object message, long deadline) {
        if (closing) {
            throw new ChannelClosedException("send on a closed channel");
        }
        lock(deadline);
        try {
            check();
            credit.take(1, deadline);
            write(message);
        } finally {
            sendLock.unlock();
        }
    }

    /** Encodes and writes a message whose credit was taken (under {@link #sendLock}). */
    private void write(Object message) {
        JsonReferences refs = new JsonReferences(session);
        try {
            byte[] json = session.codec().encode(message, refs);
            session.sendMessage(JsonFrames.msg(id, json));
        } catch (RuntimeException e) {
            refs.abandon();
            credit.giveBack(1);
            throw e;
        }
        refs.started();
    }

    private void lock(long deadline) {
        try {
            if (deadline == Long.MAX_VALUE) {
                sendLock.lockInterruptibly();
            } else if (!sendLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new ChannelTimeoutException("send timed out waiting for an earlier send on the channel");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelInterruptedException(e);
        }
    }

    private void check() {
        if (closed) {
            throw new ChannelClosedException("send on a closed channel");
        }
        LibchanException c = cancelled;
        if (c != null) {
            throw c;
        }
        session.checkOpen();
    }

    @Override
    public CompletableFuture<Void> sendAsync(Object message) {
        if (closing) {
            return CompletableFuture.failedFuture(new ChannelClosedException("send on a closed channel"));
        }
        AsyncSend s = new AsyncSend(message);
        s.future.withdrawWith(() -> s.claimed.compareAndSet(false, true));
        boolean start;
        synchronized (asyncSends) {
            asyncSends.addLast(s);
            start = !asyncRunning;
            asyncRunning = true;
        }
        if (start) {
            scheduleAsync();
        }
        return s.future;
    }

    private void scheduleAsync() {
        try {
            session.executor().execute(this::writeAsync);
        } catch (RejectedExecutionException e) {
            writeAsync(); // shutting down: the sends fail with the session, on this thread
        }
    }

    /**
     * Writes queued async sends while the peer has credit; out of credit, leaves a callback for the
     * next credit frame (or the channel's end) and returns.
     */
    private void writeAsync() {
        while (true) {
            AsyncSend s;
            boolean close = false;
            synchronized (asyncSends) {
                s = asyncSends.peekFirst();
                if (s == null) {
                    asyncRunning = false;
                    close = closeWhenSent;
                    closeWhenSent = false;
                }
            }
            if (s == null) {
                if (close) {
                    closeNow();
                }
                return;
            }
            if (!s.claimed.get()) {
                sendLock.lock();
                try {
                    if (!writeIfCredited(s)) {
                        credit.whenAvailable(this::scheduleAsync);
                        return;
                    }
                } finally {
                    sendLock.unlock();
                }
            }
            synchronized (asyncSends) {
                asyncSends.pollFirst();
            }
        }
    }

    /** False if there is no credit now; else the send is done (or failed), its future completed. */
    private boolean writeIfCredited(AsyncSend s) {
        try {
            check();
            if (!credit.tryTake()) {
                return false;
            }
        } catch (LibchanException e) {
            if (s.claimed.compareAndSet(false, true)) {
                s.future.completeExceptionally(e);
            }
            return true;
        }
        if (!s.claimed.compareAndSet(false, true)) {
            credit.giveBack(1); // withdrawn meanwhile
            return true;
        }
        try {
            write(s.message);
            s.future.complete(null);
        } catch (RuntimeException e) {
            s.future.completeExceptionally(e);
        }
        return true;
    }

    /** A message given to {@link #sendAsync}; {@code claimed} once written or withdrawn. */
    private static final class AsyncSend {
        final Object message;
        final WithdrawableFuture<Void> future = new WithdrawableFuture<>();
        final AtomicBoolean claimed = new AtomicBoolean();

        AsyncSend(Object message) {
            this.message = message;
        }
    }

    /** Async sends still queued are written first (as blocked sends still deliver), then the channel closes. */
    @Override
    public void close() {
        closing = true;
        synchronized (asyncSends) {
            if (asyncRunning) {
                closeWhenSent = true;
                return;
            }
        }
        closeNow();
    }

    private void closeNow() {
        sendLock.lock();
        try {
            if (closed || cancelled != null) {
                return;
            }
            closed = true;
            session.sendQuietly(JsonFrames.close(id));
        } finally {
            sendLock.unlock();
        }
        session.retire(id, this);
    }

    /**
     * Runs {@code then} (without blocking: see {@link Credit#whenAvailable}) once a send would not
     * wait for credit, or would fail ({@link #isDead()}): how a pump sends without holding a thread.
     */
    void whenWritable(Runnable then) {
        credit.whenAvailable(then);
    }

    /** Closed, cancelled by the peer, or its session ended: every later send fails. */
    boolean isDead() {
        return closed || cancelled != null;
    }

    void onCredit(long n) {
        credit.add(n);
    }

    /** The peer's reader is gone: every later send fails. */
    void onCancel(String reason) {
        cancelled = new ChannelClosedException("the receiver closed the channel" + (reason.isEmpty() ? "" : ": " + reason));
        credit.fail(cancelled);
        session.retire(id, this);
    }

    void fail(LibchanException e) {
        if (cancelled == null) {
            cancelled = e;
        }
        credit.fail(e);
    }

    @Override
    public String toString() {
        return "Sender(json channel " + id + ")";
    }
}
