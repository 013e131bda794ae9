package io.libchan.internal.session;

import io.libchan.internal.queue.WithdrawableFuture;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sender's asynchronous sends that could not go out at once, made in order, one at a time, on an
 * executor (each may wait for the peer's window there). A send withdrawn before it started is
 * dropped; a message already encoded (its nested streams opened) is abandoned then. A queued send
 * runs in the OpenTelemetry context of the caller that queued it, so the nested streams it opens
 * carry the caller's trace (PROTOCOL.md section 8), not the executor thread's. Thread-safe.
 */
final class AsyncSends {
    /** One send to make. */
    interface Send {
        void run();
    }

    private final Executor executor;
    private final ConcurrentLinkedQueue<Entry> waiting = new ConcurrentLinkedQueue<>();
    /** Sends queued and not finished: while any, a new send queues behind them. */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    AsyncSends(Executor executor) {
        this.executor = executor;
    }

    /** Nothing queued or under way: a new send may go out at once. */
    boolean isIdle() {
        return pending.get() == 0;
    }

    /** Queues {@code send}; the future completes when it was made, or fails as it failed. */
    CompletableFuture<Void> add(Send send, SpdySession.Encoded encoded) {
        WithdrawableFuture<Void> future = new WithdrawableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        future.withdrawWith(() -> {
            boolean withdrawn = started.compareAndSet(false, true);
            if (withdrawn && encoded != null) {
                encoded.refs.abandon();
            }
            return withdrawn;
        });
        pending.incrementAndGet();
        waiting.add(new Entry(send, future, started, Context.current()));
        drain();
        return future;
    }

    /** A queued send and its future. */
    private final class Entry {
        private final Send send;
        private final CompletableFuture<Void> future;
        private final AtomicBoolean started;
        /** The caller's context at sendAsync: the trace its nested streams join. */
        private final Context context;

        Entry(Send send, CompletableFuture<Void> future, AtomicBoolean started, Context context) {
            this.send = send;
            this.future = future;
            this.started = started;
            this.context = context;
        }

        void run() {
            try {
                if (!started.compareAndSet(false, true)) {
                    return; // withdrawn before it started
                }
                try {
                    try (Scope ignored = context.makeCurrent()) {
                        send.run();
                    }
                    future.complete(null);
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            } finally {
                pending.decrementAndGet();
            }
        }

        void fail(RuntimeException e) {
            try {
                if (started.compareAndSet(false, true)) {
                    future.completeExceptionally(e);
                }
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            Entry entry;
            while ((entry = waiting.poll()) != null) {
                entry.fail(e); // the executor is shutting down
            }
            draining.set(false);
        }
    }

    private void run() {
        Entry entry;
        while ((entry = waiting.poll()) != null) {
            entry.run();
        }
        draining.set(false);
        if (!waiting.isEmpty()) {
            drain(); // queued while we were leaving
        }
    }
}
