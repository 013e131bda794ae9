package io.libchan.cdi.internal;

/**
 * Runs one endpoint's calls on the task executor, at most its concurrency limit at once; messages
 * over the limit wait (one per channel at most, see {@link ConcurrencyGate}). Thread-safe; never
 * blocks the caller.
 */
final class EndpointDispatcher {
    private final String name;
    private final ConcurrencyGate gate;
    private final MessageHandler handler;
    private final LibchanExecutors executors;

    EndpointDispatcher(String name, int limit, MessageHandler handler, LibchanExecutors executors) {
        this.name = name;
        this.gate = new ConcurrencyGate(limit);
        this.handler = handler;
        this.executors = executors;
    }

    String name() {
        return name;
    }

    /** Handles {@code message} as soon as a permit is free, then runs {@code done} (on the handling thread). */
    void dispatch(Object message, CallInfo call, Runnable done) {
        gate.acquire(() -> executors.execute(() -> {
            try {
                handler.handle(message, call);
            } finally {
                gate.release();
                done.run();
            }
        }));
    }

    /** Handles {@code message} on the calling thread, outside the limit: draining at shutdown. */
    void handleNow(Object message, CallInfo call) {
        handler.handle(message, call);
    }

    /** Waits until no call runs or waits, or until {@code deadline} ({@link System#nanoTime()}). */
    boolean awaitIdle(long deadline) throws InterruptedException {
        return gate.awaitIdle(deadline);
    }
}
