package io.libchan.internal.nio;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Heap buffers of {@value #SIZE} bytes lent to a connection while it has bytes to write (or a
 * waiting thread reads for it) and given back as soon as it is done, so an idle connection owns
 * none. At most {@value #MAX_POOLED} are kept; past that a buffer given back is left to the
 * garbage collector. Thread-safe, lock-free.
 *
 * <p>Kept in fixed slots rather than a linked queue: a connection takes and gives back a buffer
 * around every write, and a queue would make a node each time.
 */
final class BufferPool {
    static final int SIZE = 64 * 1024;
    private static final int MAX_POOLED = 64;
    private static final AtomicReferenceArray<ByteBuffer> SLOTS = new AtomicReferenceArray<>(MAX_POOLED);

    private BufferPool() {
    }

    /** A cleared buffer of {@value #SIZE} bytes. */
    static ByteBuffer take() {
        for (int i = 0; i < MAX_POOLED; i++) {
            if (SLOTS.get(i) != null) {
                ByteBuffer b = SLOTS.getAndSet(i, null);
                if (b != null) {
                    return b;
                }
            }
        }
        return ByteBuffer.allocate(SIZE);
    }

    /** Gives {@code b} back; the caller must not touch it any more. Buffers of another size are dropped. */
    static void give(ByteBuffer b) {
        if (b.capacity() != SIZE) {
            return;
        }
        b.clear();
        for (int i = 0; i < MAX_POOLED; i++) {
            if (SLOTS.get(i) == null && SLOTS.compareAndSet(i, null, b)) {
                return;
            }
        }
    }
}
