package io.libchan.internal.inmem;

import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;

/** The receiving end of an in-memory {@link io.libchan.Pipe}. Thread-safe. */
public final class PipeReceiver extends QueueReceiver {
    public PipeReceiver(ChannelQueue queue) {
        super(queue);
    }

    /** The queue this end takes from; a network session may feed it or drain it. */
    public ChannelQueue queue() {
        return queue;
    }

    @Override
    public String toString() {
        return "PipeReceiver@" + Integer.toHexString(System.identityHashCode(this));
    }
}
