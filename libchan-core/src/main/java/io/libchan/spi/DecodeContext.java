package io.libchan.spi;

/**
 * The session side of decoding: turns a reference found in a message into the live object the
 * receiver gets. May wait (bounded) for a stream that has not opened yet.
 */
public interface DecodeContext {
    /**
     * @return a {@link io.libchan.Sender}, {@link io.libchan.Receiver} or {@link io.libchan.ByteStream}
     * @throws io.libchan.ProtocolException when no such stream opens in time, or it has another kind
     */
    Object resolve(Reference reference);

    /** A context for messages that cannot carry references (fails on the first one). */
    DecodeContext NONE = ref -> {
        throw new io.libchan.ProtocolException("unexpected reference " + ref + " in a message that cannot carry one");
    };
}
