package io.libchan;

import io.libchan.internal.inmem.PipeReceiver;
import io.libchan.internal.inmem.PipeSender;
import io.libchan.internal.queue.ChannelQueue;

/**
 * An in-memory channel, Go's {@code libchan.Pipe()}: messages are handed over as the same objects
 * (no copy, no encoding), exactly once, in order. Unbuffered by default: a send returns once a
 * receiver took the message. Several receivers compete; each message goes to exactly one.
 *
 * <p>A pipe's {@link #sender()} put into a message sent over a network becomes a reply channel: what
 * the peer sends on it arrives on this pipe's {@link #receiver()} (and likewise for the receiver).
 */
public final class Pipe {
    private final PipeSender sender;
    private final PipeReceiver receiver;

    private Pipe(int capacity) {
        ChannelQueue queue = new ChannelQueue(capacity);
        this.sender = new PipeSender(queue);
        this.receiver = new PipeReceiver(queue);
    }

    /** An unbuffered pipe: send is a rendezvous with a receive. */
    public static Pipe create() {
        return new Pipe(0);
    }

    /** A pipe holding up to {@code capacity} messages before a send blocks (Go's {@code BufferedPipe}). */
    public static Pipe buffered(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        return new Pipe(capacity);
    }

    public Sender sender() {
        return sender;
    }

    public Receiver receiver() {
        return receiver;
    }
}
