package io.libchan.bench.net;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A sliding window of requests in flight, the same for every library: the benchmark thread
 * {@link #acquire}s a slot before it issues a request, the library's reply callback
 * {@link #release}s it (on whatever thread the library calls back on), and {@link #drain} waits
 * until every reply of the batch is in. A failed reply is kept and rethrown by {@link #drain}.
 */
final class Window {
    private static final long TIMEOUT_SECONDS = 30;
    private final int size;
    private final Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Window(int size) {
        this.size = size;
        this.slots = new Semaphore(size);
    }

    void acquire() {
        try {
            if (!slots.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no reply for " + TIMEOUT_SECONDS + " s with " + size + " in flight", failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        rethrow();
    }

    void release() {
        slots.release();
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        slots.release();
    }

    /** Waits for every outstanding reply. */
    void drain() {
        try {
            if (!slots.tryAcquire(size, TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replies missing after " + TIMEOUT_SECONDS + " s", failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        slots.release(size);
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a request failed: " + t, t);
        }
    }
}
