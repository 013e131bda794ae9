package io.libchan.internal.json;

import io.libchan.LibchanException;
import io.libchan.Receiver;
import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import java.util.Map;
import java.util.Optional;

/**
 * A channel whose messages come from the peer. Messages are queued already decoded (so the channels
 * they carry exist at once) and credited back to the peer as the application takes them: a reader
 * that stops taking stops only its own writer. A peer that sends past its credit breaks the
 * protocol. Counters are guarded by {@code this}.
 */
final class InboundChannel {
    final long id;
    private final JsonSession session;
    private final ChannelQueue queue = new ChannelQueue(0);
    private final ChannelReceiver receiver;
    private long received;
    private long credited;
    private int pending;
    private boolean done;

    InboundChannel(JsonSession session, long id, String name, Map<String, String> trace) {
        this.session = session;
        this.id = id;
        this.receiver = new ChannelReceiver(queue, name, trace);
    }

    Receiver receiver() {
        return receiver;
    }

    /** A message from the peer (reader thread). */
    void onMessage(Object message) {
        synchronized (this) {
            if (received - credited >= JsonFrames.CHANNEL_WINDOW) {
                session.protocolError("the peer sent past its credit on channel " + id);
                return;
            }
            received++;
        }
        queue.offer(message); // false: our receiver was closed and the peer told so; drop
    }

    /** The peer's close: the receiver gets what is queued, then end-of-channel. */
    void onClose() {
        synchronized (this) {
            done = true;
        }
        queue.closeSend();
        session.retire(id, this);
    }

    void fail(LibchanException e) {
        queue.fail(e);
    }

    private void taken() {
        long n = 0;
        synchronized (this) {
            pending++;
            if (pending >= JsonFrames.CHANNEL_WINDOW / 2 && !done) {
                n = pending;
                credited += n;
                pending = 0;
            }
        }
        if (n > 0) {
            session.sendQuietly(JsonFrames.credit(id, n));
        }
    }

    private void receiverClosed() {
        boolean tell;
        synchronized (this) {
            tell = !done;
            done = true;
        }
        if (tell) {
            session.sendQuietly(JsonFrames.cancel(id, "the receiver closed the channel"));
        }
        session.retire(id, this);
    }

    /** The application's end: credits the peer as messages are taken. */
    private final class ChannelReceiver extends QueueReceiver {
        private final String name;
        private final Map<String, String> trace;

        ChannelReceiver(ChannelQueue q, String name, Map<String, String> trace) {
            super(q);
            this.name = name;
            this.trace = trace;
        }

        @Override
        public Map<String, String> traceContext() {
            return trace;
        }

        @Override
        protected <T> T convert(Object item, Class<T> type) {
            taken();
            return super.convert(item, type);
        }

        @Override
        public Optional<String> channelName() {
            return Optional.ofNullable(name);
        }

        @Override
        public void close() {
            super.close();
            receiverClosed();
        }

        @Override
        public String toString() {
            return "Receiver(json channel " + id + ")";
        }
    }
}
