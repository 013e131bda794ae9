package io.libchan.undertow.internal.ws;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Counts the bytes a wire has handed to asynchronous sends that have not completed yet, so that a
 * writer hands messages over without waiting for each (the wait, a round trip through the I/O
 * thread, is what made one message per batch slow) yet still feels a slow peer: an application
 * thread's {@link #awaitRoom} blocks while more than {@link #MAX_IN_FLIGHT} bytes are out, and the
 * connection's reader stops reading while they are ({@link #whenDrained}), so a peer that does not
 * read what it is sent is not read either. {@link #add} never blocks: the I/O thread and drain
 * tasks hand their frames over at once. The first failure sticks and is thrown to every later
 * caller.
 *
 * <p>Thread-safe: writers add, send callbacks (on the I/O thread) release or fail; only
 * {@link #awaitRoom} blocks, and it must not be called on an I/O thread.
 */
final class SendWindow {
    /** Bytes out before a writer waits and the reader pauses: plenty for throughput, bounded per connection. */
    static final long MAX_IN_FLIGHT = 1024 * 1024;
    /** Bytes out at or below which a paused reader goes on. */
    static final long LOW_WATER = MAX_IN_FLIGHT / 2;
    private static final long AWAIT_MILLIS = 50;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomy = lock.newCondition();
    private final BooleanSupplier open;
    private long inFlight;        // guarded by lock
    private IOException failure;  // guarded by lock
    private Runnable drained;     // guarded by lock: runs once inFlight is down to LOW_WATER

    /** @param open whether the connection can still complete sends (a waiter gives up once it cannot) */
    SendWindow(BooleanSupplier open) {
        this.open = open;
    }

    /** Counts {@code bytes} handed over; never blocks. Throws the first failure. */
    void add(long bytes) throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw failure;
            }
            inFlight += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits while more than {@link #MAX_IN_FLIGHT} bytes are out; throws the first failure. Not on an I/O thread. */
    void awaitRoom() throws IOException {
        lock.lock();
        try {
            while (failure == null && inFlight > MAX_IN_FLIGHT) {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the WebSocket", e);
        } finally {
            lock.unlock();
        }
    }

    /** True while more than {@link #MAX_IN_FLIGHT} bytes are out (the reader should pause). */
    boolean full() {
        lock.lock();
        try {
            return inFlight > MAX_IN_FLIGHT && failure == null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code task} once, on the thread that completes the send that brings the bytes out
     * down to {@link #LOW_WATER} (the I/O thread), or at once, here, if they are down already or
     * a send failed. Replaces a task registered earlier that has not run.
     */
    void whenDrained(Runnable task) {
        lock.lock();
        try {
            if (inFlight > LOW_WATER && failure == null) {
                drained = task;
                return;
            }
        } finally {
            lock.unlock();
        }
        task.run();
    }

    /** A send of {@code bytes} completed. */
    void release(long bytes) {
        Runnable run = null;
        lock.lock();
        try {
            inFlight -= bytes;
            roomy.signalAll();
            if (drained != null && inFlight <= LOW_WATER) {
                run = drained;
                drained = null;
            }
        } finally {
            lock.unlock();
        }
        if (run != null) {
            run.run();
        }
    }

    /** A send of {@code bytes} failed: so does every later {@link #add} and {@link #awaitRoom}. */
    void fail(long bytes, IOException e) {
        Runnable run;
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            inFlight -= bytes;
            roomy.signalAll();
            run = drained;
            drained = null;
        } finally {
            lock.unlock();
        }
        if (run != null) {
            run.run();
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
