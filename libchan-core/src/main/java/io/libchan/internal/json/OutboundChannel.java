package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.LibchanException;
import io.libchan.Sender;
import io.libchan.internal.queue.QueueReceiver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A channel whose messages we send to the peer, as the application's {@link Sender}. A send waits
 * for credit (the peer's reader is slow), then encodes and writes the message; sends on one channel
 * are serialised by {@link #sendLock}, so a message and the channels it opens stay in order.
 */
final class OutboundChannel implements Sender {
    final long id;
    private final JsonSession session;
    private final Credit credit = new Credit(JsonFrames.CHANNEL_WINDOW);
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile LibchanException cancelled;

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
        lock(deadline);
        try {
            check();
            credit.take(1, deadline);
            JsonReferences refs = new JsonReferences(session);
            try {
                byte[] json = session.codec().encode(message, refs);
                session.send(JsonFrames.msg(id, json));
            } catch (RuntimeException e) {
                refs.abandon();
                credit.giveBack(1);
                throw e;
            }
            refs.started();
        } finally {
            sendLock.unlock();
        }
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
        return CompletableFuture.runAsync(() -> send(message), session.executor());
    }

    @Override
    public void close() {
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
