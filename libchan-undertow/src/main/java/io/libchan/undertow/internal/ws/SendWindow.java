package io.libchan.undertow.internal.ws;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Bounds the bytes a wire has handed to asynchronous sends that have not completed yet, so that a
 * writer hands messages over without waiting for each (the wait, a round trip through the I/O
 * thread, is what made one message per batch slow) yet still feels a slow peer: {@link #acquire}
 * blocks while more than {@link #MAX_IN_FLIGHT} bytes are out. The first failure sticks and is
 * thrown to every later caller.
 *
 * <p>Thread-safe: the writer acquires, send callbacks (on I/O threads) release or fail; only
 * {@link #acquire} blocks, and it must not be called on an I/O thread.
 */
final class SendWindow {
    /** Bytes out before a writer waits: plenty for throughput, bounded per connection. */
    static final long MAX_IN_FLIGHT = 1024 * 1024;
    private static final long AWAIT_MILLIS = 50;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomy = lock.newCondition();
    private final BooleanSupplier open;
    private long inFlight;        // guarded by lock
    private IOException failure;  // guarded by lock

    /** @param open whether the connection can still complete sends (a waiter gives up once it cannot) */
    SendWindow(BooleanSupplier open) {
        this.open = open;
    }

    /** Takes room for {@code bytes}, waiting while the window is full; throws the first failure. */
    void acquire(long bytes) throws IOException {
        lock.lock();
        try {
            while (failure == null && inFlight > 0 && inFlight + bytes > MAX_IN_FLIGHT) {
                if (!open.getAsBoolean()) {
                    failure = new IOException("the WebSocket closed");
                    break;
                }
                // bounded waits: a connection that dies without completing its sends must not strand us
                roomy.await(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (failure != null) {
                throw failure;
            }
            inFlight += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the WebSocket", e);
        } finally {
            lock.unlock();
        }
    }

    /** A send of {@code bytes} completed. */
    void release(long bytes) {
        lock.lock();
        try {
            inFlight -= bytes;
            roomy.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A send of {@code bytes} failed: so does every later {@link #acquire}. */
    void fail(long bytes, IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            inFlight -= bytes;
            roomy.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Throws the first failure, if any (cheap: for {@code flush}). */
    void check() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }
}
