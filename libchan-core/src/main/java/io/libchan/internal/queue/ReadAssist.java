package io.libchan.internal.queue;

import java.util.function.BooleanSupplier;

/**
 * How a thread waiting in a receive may spend its wait reading the connection that feeds the
 * queue, so the message it waits for wakes it directly instead of waking the connection's reader
 * first, which then wakes it (one thread wake-up less per request/reply). Set on a queue with
 * {@link ChannelQueue#assistWith}; a queue without one parks its takers as usual.
 *
 * <p>Thread-safe. Implementations decide whether the calling thread may read (it must be a
 * platform thread, not already reading, and the connection must allow it); otherwise they park it.
 */
public interface ReadAssist {

    /**
     * Waits while {@code waiting} is true, reading the connection meanwhile if no other thread
     * does, else parking. May return early (spuriously, on interrupt with the status kept, or at
     * {@code deadline}, a {@link System#nanoTime()} value or {@link Long#MAX_VALUE}): callers loop.
     */
    void await(BooleanSupplier waiting, long deadline, Object blocker);

    /** Ends the wait of {@code waiter}, which is in {@link #await} or about to enter it. */
    void wake(Thread waiter);

    /**
     * Called with the signal of a taker that runs application code (a future's completion, a
     * subscription's executor): when the calling thread is a waiting thread that reads the
     * connection, the signal is handed to the connection's own reader and true is returned, so
     * no callback of another receive runs on, or takes the context of (a container's security
     * or request context), an application thread that happened to read. Otherwise false: the
     * caller signals itself.
     */
    boolean handOff(Runnable signal);
}
