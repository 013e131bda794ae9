package io.libchan.bench.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A sliding window of requests in flight: acquire a slot before a request, release it in the reply
 * callback, drain to wait for the batch. A failed reply is rethrown by {@link #drain}.
 */
final class InFlight {
    private final int size;
    private final Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    InFlight(int size) {
        this.size = size;
        this.slots = new Semaphore(size);
    }

    void acquire() {
        try {
            if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no reply for 30 s with " + size + " in flight", failure.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("a reply failed", f);
        }
    }

    void release() {
        slots.release();
    }

    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        slots.release();
    }

    void drain() {
        for (int i = 0; i < size; i++) {
            acquire();
        }
        slots.release(size);
    }
}
