package io.libchan.internal.session;

import io.libchan.internal.queue.ChannelQueue;
import io.libchan.internal.queue.QueueReceiver;
import java.util.Optional;

/** A {@link io.libchan.Receiver} fed by one SPDY stream: messages are decoded by whoever takes them. */
final class StreamReceiver extends QueueReceiver {
    private final SessionStream stream;

    StreamReceiver(SessionStream stream, ChannelQueue queue) {
        super(queue);
        this.stream = stream;
    }

    @Override
    public Optional<String> channelName() {
        return Optional.ofNullable(stream.name);
    }

    @Override
    public Optional<String> bearerToken() {
        return Optional.ofNullable(stream.bearerToken);
    }

    @Override
    public java.util.Map<String, String> traceContext() {
        return stream.local || stream.trace == null ? java.util.Map.of() : stream.trace; // ours: not shown
    }

    SessionStream stream() {
        return stream;
    }

    @Override
    public void close() {
        stream.session().receiverClosed(stream); // tell the peer first, then wake our own receivers
        super.close();
    }

    @Override
    public String toString() {
        return "Receiver(" + stream + ")";
    }
}
