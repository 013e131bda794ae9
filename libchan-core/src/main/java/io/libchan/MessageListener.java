package io.libchan;

/**
 * A callback for {@link Receiver#subscribe}: one call per message, then one call to
 * {@link #onEnd()} or {@link #onError(LibchanException)}. Calls never overlap.
 * An exception thrown by {@link #onMessage} stops the subscription and is passed to
 * {@link #onError(LibchanException)} wrapped in a {@link LibchanException}.
 */
@FunctionalInterface
public interface MessageListener<T> {
    /** Handles one message. */
    void onMessage(T message) throws Exception;

    /** The sender closed the channel after the last message. */
    default void onEnd() {
    }

    /** The channel failed (or the listener threw); no more calls follow. */
    default void onError(LibchanException error) {
    }
}
