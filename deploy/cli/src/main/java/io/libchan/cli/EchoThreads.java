package io.libchan.cli;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of {@code libchan.jar echo}: a fixed number serve messages ({@code libchan-echo-N}),
 * and half as many (at least one) echo byte streams ({@code libchan-echo-copy-N}), since a byte
 * stream can only be copied with blocking reads and writes and holds its thread until the peer
 * ends it; on a pool of their own, open streams cannot starve the messages of everyone else.
 * However many sessions and channels there are, no more threads than these run echo code: idle
 * channels hold none. Tasks over the limit wait in the pools' queues; each served channel has at
 * most one there (it asks for its next message only once the last was answered), so the queues
 * grow with the channels, not with their traffic. Threads are daemons and end after 30 s idle.
 */
final class EchoThreads implements AutoCloseable {
    private final ThreadPoolExecutor messages;
    private final ThreadPoolExecutor copies;

    /** @param threads the threads serving messages, at least 1 */
    EchoThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
        this.messages = pool(threads, "libchan-echo-");
        this.copies = pool(Math.max(1, threads / 2), "libchan-echo-copy-");
    }

    /**
     * The default: as many as cores, at least two. An echo is CPU work, and each thread may hold a
     * whole message and its reply at once: on a 256 MiB heap, 16 messages of 15 MiB at once fit
     * with two such threads (beside the listener's budget of unread bytes), not with eight. A reply
     * that waits for a slow peer's window holds its thread meanwhile; more threads (--threads) let
     * more such peers wait at once, at that cost in memory.
     */
    static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** Serves sessions, channels and messages; tasks on it never wait for a peer for long. */
    ExecutorService messages() {
        return messages;
    }

    /** Copies byte streams; each task holds its thread until its stream ends. */
    ExecutorService copies() {
        return copies;
    }

    /** Stops both pools at once; running copies are interrupted. */
    @Override
    public void close() {
        messages.shutdownNow();
        copies.shutdownNow();
    }

    private static ThreadPoolExecutor pool(int threads, String prefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
