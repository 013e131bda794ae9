package io.libchan.internal.inmem;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.observe.SessionObservation;
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
 * values are handed over as objects. Each side reports its session to metrics and JFR as a network
 * session does (transport {@code inmem}; no bytes, no message sizes). Thread-safe.
 */
public final class InMemoryTransport implements Transport {
    static final int CHANNEL_BUFFER = 64;
    private final ChannelQueue incoming = new ChannelQueue(0);
    private final Map<ChannelQueue, Boolean> opened = Collections.synchronizedMap(new WeakHashMap<>());
    private InMemoryTransport peer;
    private volatile boolean open = true;
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
    /**
     * Counters, metrics and JFR events. Messages are those on the top-level channels this side
     * opened (sent) and the peer opened (received, once handed over).
     */
    private final SessionObservation observed;

    private InMemoryTransport(Settings settings) {
        this.observed = SessionObservation.inMemory(settings, this::openChannels);
    }

    /** Two connected sides with the default settings; what one opens, the other accepts. */
    public static InMemoryTransport[] pair() {
        return pair(Settings.defaults(), Settings.defaults(), null);
    }

    /**
     * Two connected sides, each with its settings (where its metrics go); the second is a server's
     * session when {@code listener} (its listener's URI) is not null.
     */
    public static InMemoryTransport[] pair(Settings first, Settings second, String listener) {
        InMemoryTransport a = new InMemoryTransport(first);
        InMemoryTransport b = new InMemoryTransport(second);
        a.peer = b;
        b.peer = a;
        a.observed.started(null);
        b.observed.started(listener);
        return new InMemoryTransport[] {a, b};
    }

    /** A message went out on a top-level channel this side opened: the peer has it. */
    private void countSent() {
        observed.messageSent();
        peer.observed.messageReceived();
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
        return new PipeSender(receiver.queue(), this::countSent);
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
        return observed.info();
    }

    private int openChannels() {
        synchronized (opened) {
            return (int) opened.keySet().stream().filter(q -> !q.isSendClosed() && !q.isReceiveClosed()).count();
        }
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
        observed.ended(null);
        peer.observed.ended(null);
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
        observed.ended(null); // our own doing
        peer.observed.ended(lost);
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
