package io.libchan.internal.queue;

/**
 * A queued message that holds memory counted against a budget (it came from a network stream):
 * a queue that drops it undelivered (its receiver closed) calls {@link #release()} so the memory
 * is counted free. Taking it releases it too. Idempotent.
 */
public interface Releasable {
    void release();
}
