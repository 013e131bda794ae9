package io.libchan.example.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads {@link PoolWorker}s run their jobs on unless given an executor: one bounded pool for
 * the whole JVM, of daemon threads that end after 30 s idle, so however many workers join, at most
 * {@link #THREADS} jobs run at once and idle workers hold none. Thread-safe.
 */
final class WorkerThreads {
    /** Jobs running at once across the workers that share the pool. */
    static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final ExecutorService SHARED = create();

    private WorkerThreads() {
    }

    static ExecutorService shared() {
        return SHARED;
    }

    private static ExecutorService create() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "pool-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
