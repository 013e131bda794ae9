package io.libchan.internal.session;

import io.libchan.internal.queue.Decodable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One message as it arrived on a stream, decoded lazily by the receiver that takes it, into the
 * type it asks for, with references resolved against the session. Taking it returns its bytes
 * to the stream's flow-control window.
 */
final class EncodedMessage implements Decodable {
    private final byte[] bytes;
    private final SessionStream stream;
    private final int credit;
    private final AtomicBoolean credited = new AtomicBoolean();

    /** @param credit the bytes to return to the window when taken (parts of a long message may have been returned early) */
    EncodedMessage(byte[] bytes, SessionStream stream, int credit) {
        this.bytes = bytes;
        this.stream = stream;
        this.credit = credit;
    }

    @Override
    public <T> T decode(Class<T> type) {
        if (credited.compareAndSet(false, true)) {
            if (credit > 0) {
                stream.consumed(credit);
            }
            stream.messageTaken();
        }
        return stream.session().decode(bytes, type);
    }

    int size() {
        return bytes.length;
    }
}
