package io.libchan.internal.codec.msgpack;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Objects lent for one encode or decode and taken back (our generators and parsers, each with its
 * buffers), so that a message allocates none of them. Thread-safe.
 *
 * <p>Why a pool and not a thread-local: in an application server the threads are the container's
 * and outlive the deployment, so a value of ours left on one held the deployment's class loader
 * after undeploy (issue 16). A lent object is in no thread's map; a slot is empty while it is out.
 */
final class Pool<T> {
    /** Objects kept for reuse: more encodes or decodes at once than this create (and drop) their own. */
    private static final int KEPT = 64;

    private final Supplier<T> create;
    /** Kept objects, in slots taken and filled without a lock (every message passes here). */
    private final AtomicReferenceArray<T> free = new AtomicReferenceArray<>(KEPT);

    Pool(Supplier<T> create) {
        this.create = create;
    }

    /** A kept object, or a new one; give it back with {@link #giveBack} in a finally block. */
    T lend() {
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) != null) {
                T item = free.getAndSet(i, null);
                if (item != null) {
                    return item;
                }
            }
        }
        return create.get();
    }

    /** Keeps {@code item}, ready for the next message, unless every slot is full (then it is dropped). */
    void giveBack(T item) {
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) == null && free.compareAndSet(i, null, item)) {
                return;
            }
        }
    }
}
