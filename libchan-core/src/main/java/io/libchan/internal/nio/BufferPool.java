package io.libchan.internal.nio;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Heap buffers lent to a connection while it has bytes to write (or a waiting thread reads for
 * it) and given back as soon as it is done, so an idle connection owns none: {@value #SIZE}
 * bytes for frames and messages, at most {@value #MAX_POOLED} kept; {@value #LARGE} bytes for a
 * byte stream's largest frame (a gateway's 256 KiB chunk, as TLS records too) that the socket
 * did not take at once, at most {@value #MAX_LARGE_POOLED} kept. Past that a buffer given back is
 * left to the garbage collector. Thread-safe, lock-free.
 *
 * <p>Kept in fixed slots rather than a linked queue: a connection takes and gives back a buffer
 * around every write, and a queue would make a node each time.
 */
final class BufferPool {
    static final int SIZE = 64 * 1024;
    /** A 256 KiB DATA frame and its head, wrapped in TLS records (some 22 bytes each) with room to spare. */
    static final int LARGE = 272 * 1024;
    private static final int MAX_POOLED = 64;
    private static final int MAX_LARGE_POOLED = 8;
    private static final AtomicReferenceArray<ByteBuffer> SLOTS = new AtomicReferenceArray<>(MAX_POOLED);
    private static final AtomicReferenceArray<ByteBuffer> LARGE_SLOTS = new AtomicReferenceArray<>(MAX_LARGE_POOLED);

    private BufferPool() {
    }

    /** A cleared buffer of {@value #SIZE} bytes. */
    static ByteBuffer take() {
        return take(SLOTS, SIZE);
    }

    /** A cleared buffer of {@value #LARGE} bytes. */
    static ByteBuffer takeLarge() {
        return take(LARGE_SLOTS, LARGE);
    }

    /** A cleared buffer of at least {@code size} bytes: pooled up to {@value #LARGE}, made for it past that. */
    static ByteBuffer take(int size) {
        return size <= SIZE ? take() : size <= LARGE ? takeLarge() : ByteBuffer.allocate(size);
    }

    private static ByteBuffer take(AtomicReferenceArray<ByteBuffer> slots, int size) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                ByteBuffer b = slots.getAndSet(i, null);
                if (b != null) {
                    return b;
                }
            }
        }
        return ByteBuffer.allocate(size);
    }

    /** Gives {@code b} back; the caller must not touch it any more. Buffers of other sizes are dropped. */
    static void give(ByteBuffer b) {
        AtomicReferenceArray<ByteBuffer> slots = b.capacity() == SIZE ? SLOTS : b.capacity() == LARGE ? LARGE_SLOTS : null;
        if (slots == null) {
            return;
        }
        b.clear();
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, b)) {
                return;
            }
        }
    }
}
