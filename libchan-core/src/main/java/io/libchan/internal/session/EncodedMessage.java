package io.libchan.internal.session;

import io.libchan.ProtocolException;
import io.libchan.internal.queue.Decodable;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message as it arrived on a stream, decoded lazily by the receiver that takes it, into the
 * type it asks for, with references resolved against the session. Taking it returns its bytes
 * to the stream's flow-control window.
 */
final class EncodedMessage implements Decodable, io.libchan.internal.queue.Releasable {
    private final byte[] bytes;     // the message in one array, or null
    private final byte[][] blocks;  // or in blocks, every one full but the last
    private final int length;
    private final SessionStream stream;
    private final int credit;
    // flags set once, on fields of this object: no two AtomicBooleans made per message
    private static final AtomicIntegerFieldUpdater<EncodedMessage> CREDITED =
            AtomicIntegerFieldUpdater.newUpdater(EncodedMessage.class, "credited");
    private static final AtomicIntegerFieldUpdater<EncodedMessage> REFUSAL_HANDLED =
            AtomicIntegerFieldUpdater.newUpdater(EncodedMessage.class, "refusalHandled");
    /** 1 once the window credit and the budget were given back. */
    private volatile int credited;
    /** 1 once a refusal of this message was handled (once, whichever decode attempt found it bad). */
    private volatile int refusalHandled;
    /** The peer's stream ids that may belong to this message: in (namedAfter, namedUpTo]. */
    private final int namedAfter;
    private final int namedUpTo;

    /**
     * @param bytes  the message is {@code bytes[0..length)}
     * @param credit the bytes to return to the window when taken (parts of a long message may have been returned early)
     * @param namedAfter the peer's last stream id when the message before it was whole: its streams come after
     * @param namedUpTo the peer's last stream id when it was whole
     */
    EncodedMessage(byte[] bytes, int length, SessionStream stream, int credit, int namedAfter, int namedUpTo) {
        this.bytes = bytes;
        this.blocks = null;
        this.length = length;
        this.stream = stream;
        this.credit = credit;
        this.namedAfter = namedAfter;
        this.namedUpTo = namedUpTo;
    }

    /** A message that arrived in pieces, kept in the blocks it was copied into ({@link PartialMessage}). */
    EncodedMessage(byte[][] blocks, int length, SessionStream stream, int credit, int namedAfter, int namedUpTo) {
        this.bytes = null;
        this.blocks = blocks;
        this.length = length;
        this.stream = stream;
        this.credit = credit;
        this.namedAfter = namedAfter;
        this.namedUpTo = namedUpTo;
    }

    /**
     * Decodes the message; the first time, its window credit goes back to the peer and, once
     * decoded, its bytes stop counting against the session's memory budget. A message the peer
     * got wrong ({@link ProtocolException}: a bad reference, a stream that never opened) fails its
     * channel as one refused on arrival does.
     */
    @Override
    public <T> T decode(Class<T> type) {
        boolean first = CREDITED.compareAndSet(this, 0, 1);
        if (first) {
            if (credit > 0) {
                stream.consumed(credit);
            }
            stream.messageTaken();
        }
        try {
            return bytes != null ? stream.session().decode(bytes, length, type, stream) : stream.session().decode(blocks, length, type, stream);
        } catch (ProtocolException e) {
            // a decode tried again elsewhere (WouldBlockException) may be the one that finds it bad
            if (REFUSAL_HANDLED.compareAndSet(this, 0, 1) && !e.isSessionFatal() && stream.session().isAlive()) {
                stream.refuseDecoded(e, namedAfter, namedUpTo);
            }
            throw e;
        } finally {
            if (first) {
                stream.session().flow().released(length);
            }
        }
    }

    /** Dropped undelivered (the receiver closed): its bytes no longer count against the budget. */
    @Override
    public void release() {
        if (CREDITED.compareAndSet(this, 0, 1)) {
            stream.session().flow().released(length);
        }
    }

    int size() {
        return length;
    }
}
