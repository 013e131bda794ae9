package io.libchan.internal.inmem;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * One side of an in-memory session: top-level channels are {@link Pipe}s whose receiving ends are
 * queued for the peer's {@link #waitReceiveChannel()}. Like a network session (where send returns
 * once the message is written), each top-level channel buffers {@value #CHANNEL_BUFFER} messages
 * before a send blocks, so a sender need not wait for the peer to accept the channel. Messages and nested
 * values are handed over as objects. Thread-safe.
 */
public final class InMemoryTransport implements Transport {
    static final int CHANNEL_BUFFER = 64;
    private final ChannelQueue incoming = new ChannelQueue(0);
    private final Map<ChannelQueue, Boolean> opened = Collections.synchronizedMap(new WeakHashMap<>());
    private InMemoryTransport peer;
    private volatile boolean open = true;
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
    /** Messages sent on the top-level channels this side opened (the peer's received ones, in memory). */
    private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();

    private InMemoryTransport() {
    }

    /** Two connected sides; what one opens, the other accepts. */
    public static InMemoryTransport[] pair() {
        InMemoryTransport a = new InMemoryTransport();
        InMemoryTransport b = new InMemoryTransport();
        a.peer = b;
        b.peer = a;
        return new InMemoryTransport[] {a, b};
    }

    @Override
    public Sender newSendChannel() {
        return newSendChannel(null);
    }

    @Override
    public Sender newSendChannel(String name) {
        if (!open) {
            throw new ChannelClosedException("session closed");
        }
        Pipe pipe = Pipe.buffered(CHANNEL_BUFFER);
        PipeReceiver receiver = (PipeReceiver) pipe.receiver();
        opened.put(receiver.queue(), Boolean.TRUE);
        peer.opened.put(receiver.queue(), Boolean.TRUE);
        if (!peer.incoming.offer(name == null ? receiver : new NamedReceiver(receiver, name))) {
            throw new ChannelClosedException("the peer closed the session");
        }
        return new PipeSender(receiver.queue(), sent);
    }

    @Override
    public Receiver waitReceiveChannel() {
        return accept(Long.MAX_VALUE);
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return accept(QueueReceiver.deadline(timeout));
    }

    @Override
    public java.util.concurrent.CompletableFuture<Receiver> receiveChannelAsync() {
        return QueueReceiver.nextAsync(incoming, "session closed: no more channels");
    }

    private Receiver accept(long deadline) {
        try {
            return (Receiver) incoming.take(deadline);
        } catch (EndOfChannelException e) {
            throw new ChannelClosedException("session closed: no more channels");
        }
    }

    /**
     * Transport {@code inmem}, no peer address, no dialect, no bytes; messages are those on top-level
     * channels (nested channels are plain pipes, out of the session's sight), a message counted
     * received once it is handed over; open channels are the top-level ones neither side closed yet.
     */
    @Override
    public io.libchan.TransportInfo info() {
        int channels;
        synchronized (opened) {
            channels = (int) opened.keySet().stream().filter(q -> !q.isSendClosed() && !q.isReceiveClosed()).count();
        }
        return new io.libchan.TransportInfo("inmem", Optional.empty(), Optional.empty(), sent.sum(), peer.sent.sum(),
                0, 0, channels);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            incoming.closeSend();
            peer.open = false;
            peer.incoming.closeSend();
        }
        closed.complete(null);
        peer.closed.complete(null);
    }

    @Override
    public void abort() {
        ConnectionLostException lost = new ConnectionLostException("in-memory session aborted");
        open = false;
        peer.open = false;
        incoming.fail(lost);
        peer.incoming.fail(lost);
        ChannelQueue[] queues;
        synchronized (opened) {
            queues = opened.keySet().toArray(new ChannelQueue[0]);
        }
        for (ChannelQueue q : queues) {
            q.fail(lost);
        }
        closed.completeExceptionally(lost);
        peer.closed.completeExceptionally(lost);
    }

    /** A top-level receiver that carries the endpoint name it was opened with. */
    private static final class NamedReceiver extends QueueReceiver {
        private final String name;

        NamedReceiver(PipeReceiver delegate, String name) {
            super(delegate.queue());
            this.name = name;
        }

        @Override
        public Optional<String> channelName() {
            return Optional.of(name);
        }
    }
}
