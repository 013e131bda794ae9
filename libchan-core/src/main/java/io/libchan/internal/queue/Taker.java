package io.libchan.internal.queue;

import io.libchan.LibchanException;

/**
 * A party waiting for messages on a {@link ChannelQueue}: a parked thread, a future or a push
 * subscription. The queue calls the {@code *Locked} methods while holding its lock and
 * {@link #signal()} after releasing it, so no callback ever runs under the lock.
 */
interface Taker {
    /** Takes one message; returns true to stay registered for more (a subscription with demand left). */
    boolean acceptLocked(Object item);

    /** The channel ended or failed while this taker waited. */
    void failLocked(LibchanException error);

    /** Wakes the taker up; called without the queue lock. */
    void signal();

    /**
     * True when {@link #signal()} may run application code (a future's stages, a subscription's
     * executor), so it must not run on a thread that only reads for its own receive ({@link ReadAssist#handOff}).
     */
    default boolean signalRunsApplicationCode() {
        return true;
    }
}
