package io.libchan.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
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
     * A msgpack factory whose parser keeps nothing on the thread; its generator takes its buffer
     * from a thread-local only when {@code lentBuffers} (the caller puts one there for each encode
     * and removes it afterwards), else it allocates one per message.
     */
    public static MessagePackFactory msgpack(boolean lentBuffers) {
        MessagePackFactory factory = new MessagePackFactory();
        factory.setReuseResourceInGenerator(lentBuffers);
        factory.setReuseResourceInParser(false);
        return pooled(factory);
    }
}
