package io.libchan.internal.queue;

/**
 * A queued message that is still in its encoded form (it came from a network stream); it is
 * decoded once, by the receiver that takes it, into the type that receiver asked for.
 */
public interface Decodable {
    <T> T decode(Class<T> type);
}
