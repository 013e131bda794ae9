package io.libchan.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Jackson factories that leave nothing on the threads that use them. By default Jackson keeps its
 * buffers in a thread-local, and jackson-dataformat-msgpack its packer buffer and unpacker: in an
 * application server the threads are the container's and outlive the deployment, so those values
 * (classes of the WAR's own copy of Jackson) held the deployment's class loader after every undeploy
 * (issue 16). These factories recycle Jackson's buffers in a pool of their own instead.
 */
public final class NoThreadLocals {
    private NoThreadLocals() {
    }

    /** {@code factory}, recycling its buffers in a pool of its own instead of a thread-local. */
    public static <F extends JsonFactory> F pooled(F factory) {
        factory.setRecyclerPool(JsonRecyclerPools.newConcurrentDequePool());
        return factory;
    }

    /** A plain JSON factory without thread-locals. */
    public static JsonFactory json() {
        return pooled(new JsonFactory());
    }

    /**
     * A msgpack factory whose parser keeps nothing on the thread and shares one buffer recycler;
     * its generator takes its buffer from a thread-local only when {@code lentBuffers} (the caller
     * puts one there for each encode and removes it afterwards), else it allocates one per message.
     */
    public static MessagePackFactory msgpack(boolean lentBuffers) {
        MessagePackFactory factory = new MessagePackFactory();
        factory.setReuseResourceInGenerator(lentBuffers);
        factory.setReuseResourceInParser(false);
        // MessagePackParser.close() never closes its IOContext, so a recycler taken from a pool never
        // came back and each parser built a new one. It takes no buffer from it either; one shared
        // recycler (atomic since Jackson 2.16) is enough, and it is the factory's, not a thread's.
        factory.setRecyclerPool(new SharedRecycler());
        return factory;
    }

    /** Hands out one recycler, never linked to the pool, so nothing is ever given back to it. */
    private static final class SharedRecycler extends RecyclerPool.NonRecyclingPoolBase<BufferRecycler> {
        private static final long serialVersionUID = 1L;
        private final transient BufferRecycler shared = new BufferRecycler();

        @Override
        public BufferRecycler acquirePooled() {
            return shared;
        }
    }
}
