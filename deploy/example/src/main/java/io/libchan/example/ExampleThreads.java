package io.libchan.example;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where the example's own asynchronous work runs, all of it on bounded pools: {@link #executor()}
 * for short tasks that never wait for long (following a worker's status channel, relaying a job's
 * progress and result, collecting an echo's nested channels), {@link #streams()} for byte-stream
 * echoes, which can only be copied with blocking reads and writes and so hold a thread until the
 * peer ends the stream (a pool of their own, so open streams cannot starve the rest; streams over
 * its size wait their turn). Nothing waits on an idle channel: channels are followed by
 * subscription.
 *
 * <p>In a Jakarta EE server, the default {@code ManagedExecutorService} and
 * {@code ManagedScheduledExecutorService} ({@code java:comp/Default...}), and the streams' pool made
 * of {@code ManagedThreadFactory} threads (not the managed executor, which reports long tasks as
 * hung), so the container knows the threads and they carry the application's context; in Java SE,
 * daemon threads of our own, stopped with the container. (Not {@code CompletableFuture.orTimeout}:
 * its JDK timer thread would outlive an undeployed WAR.) Looked up in JNDI rather than injected with
 * {@code @Resource}, so the same bean runs in both. Created when the application starts (the look-up
 * needs the deployment's naming context). Thread-safe.
 */
@ApplicationScoped
public class ExampleThreads {
    static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";
    /** Java SE: threads for short tasks, a small multiple of the cores. */
    static final int TASK_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    /** Byte-stream echoes at once; more wait for one to end. */
    public static final int STREAM_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private Executor executor;
    private ExecutorService streams;
    private ScheduledExecutorService scheduler;
    private ExecutorService owned;
    private ScheduledExecutorService ownedScheduler;

    @PostConstruct
    void lookUp() {
        ThreadFactory threadFactory = lookup(MANAGED_THREAD_FACTORY, ThreadFactory.class).orElseGet(ExampleThreads::daemonThreads);
        executor = lookup(MANAGED_EXECUTOR, Executor.class).orElseGet(() -> {
            owned = pool(TASK_THREADS, threadFactory);
            return owned;
        });
        streams = pool(STREAM_THREADS, threadFactory);
        scheduler = lookup(MANAGED_SCHEDULER, ScheduledExecutorService.class).orElseGet(() -> {
            ownedScheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
            return ownedScheduler;
        });
    }

    void createAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        executor(); // the client proxy creates the bean now, on the deployment's thread
    }

    /** Runs short tasks; bounded. */
    public Executor executor() {
        return executor;
    }

    /** Runs short tasks after a delay (timeouts). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Copies byte streams, a task per stream for as long as it is open; bounded. */
    public Executor streams() {
        return streams;
    }

    @PreDestroy
    void stop() {
        if (owned != null) {
            owned.shutdown();
        }
        streams.shutdownNow();
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
    }

    /** A fixed pool whose idle threads end after 30 s; tasks over its size wait in its queue. */
    private static ExecutorService pool(int threads, ThreadFactory factory) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static <T> java.util.Optional<T> lookup(String name, Class<T> type) {
        try {
            Object found = new InitialContext().lookup(name);
            return type.isInstance(found) ? java.util.Optional.of(type.cast(found)) : java.util.Optional.empty();
        } catch (NamingException | RuntimeException e) {
            return java.util.Optional.empty(); // Java SE: no naming service
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "example-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
