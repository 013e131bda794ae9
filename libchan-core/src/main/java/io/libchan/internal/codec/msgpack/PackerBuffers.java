package io.libchan.internal.codec.msgpack;

import com.fasterxml.jackson.core.ObjectCodec;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The generators of {@link MsgpackCodec}'s encodes, each with its output array, lent from a pool and
 * taken back: an encode allocates neither. Thread-safe.
 *
 * <p>Why a pool and not a thread-local: in an application server the threads are the container's
 * and outlive the deployment, so a value of ours left on one held the deployment's class loader
 * after undeploy (issue 16). A lent generator is in no thread's map; a pool slot is emptied while
 * it is out.
 */
final class PackerBuffers {
    /** Generators kept for reuse: more encodes at once than this allocate (and drop) their own. */
    private static final int KEPT = 64;

    private final ObjectCodec codec;
    /** Kept generators, in slots taken and filled without a lock (every encode passes here). */
    private final AtomicReferenceArray<MsgpackGenerator> free = new AtomicReferenceArray<>(KEPT);

    PackerBuffers(ObjectCodec codec) {
        this.codec = codec;
    }

    /** An empty generator for one encode; give it back with {@link #giveBack} in a finally block. */
    MsgpackGenerator lend() {
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) != null) {
                MsgpackGenerator gen = free.getAndSet(i, null);
                if (gen != null) {
                    return gen;
                }
            }
        }
        return new MsgpackGenerator(codec);
    }

    /** Takes a generator back once its encode is over (done or failed): emptied, and kept unless it grew large or every slot is full. */
    void giveBack(MsgpackGenerator gen) {
        if (!gen.reset()) {
            return;
        }
        for (int i = 0; i < KEPT; i++) {
            if (free.get(i) == null && free.compareAndSet(i, null, gen)) {
                return;
            }
        }
    }
}
