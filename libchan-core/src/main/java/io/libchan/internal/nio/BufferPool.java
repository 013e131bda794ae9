package io.libchan.internal.nio;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heap buffers of {@value #SIZE} bytes lent to a connection while it has bytes to write (or a
 * waiting thread reads for it) and given back as soon as it is done, so an idle connection owns
 * none. At most {@value #MAX_POOLED} are kept; past that a buffer given back is left to the
 * garbage collector. Thread-safe, lock-free.
 */
final class BufferPool {
    static final int SIZE = 64 * 1024;
    private static final int MAX_POOLED = 64;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private BufferPool() {
    }

    /** A cleared buffer of {@value #SIZE} bytes. */
    static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        if (b == null) {
            return ByteBuffer.allocate(SIZE);
        }
        POOLED.decrementAndGet();
        return b;
    }

    /** Gives {@code b} back; the caller must not touch it any more. Buffers of another size are dropped. */
    static void give(ByteBuffer b) {
        if (b.capacity() != SIZE || POOLED.incrementAndGet() > MAX_POOLED) {
            if (b.capacity() == SIZE) {
                POOLED.decrementAndGet();
            }
            return;
        }
        b.clear();
        POOL.add(b);
    }
}
