package io.libchan.internal.queue;

import io.libchan.LibchanException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A message whose sender waits: it is in the queue but not yet taken (unbuffered) or not yet in the
 * buffer (buffered and full). Released exactly once, under the queue lock: taken, buffered, or failed.
 */
final class PendingPut {
    final Object item;
    final Thread thread;                 // the blocked sender, or null for an async send
    final CompletableFuture<Void> future; // the async sender's future, or null
    LibchanException error;
    volatile boolean done;

    PendingPut(Object item, Thread thread, CompletableFuture<Void> future) {
        this.item = item;
        this.thread = thread;
        this.future = future;
    }

    void releaseLocked() {
        done = true;
    }

    void failLocked(LibchanException e) {
        error = e;
        done = true;
    }

    /** Called without the queue lock, after release or failure. */
    void signal() {
        if (thread != null) {
            LockSupport.unpark(thread);
        } else if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(null);
        }
    }
}
