package io.libchan.example;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where the example's own asynchronous work runs (following a worker's status channel, relaying a
 * job's progress and result, echoing a byte stream): short tasks that never wait for long.
 *
 * <p>In a Jakarta EE server, the default {@code ManagedExecutorService},
 * {@code ManagedScheduledExecutorService} and {@code ManagedThreadFactory}
 * ({@code java:comp/Default...}), so the container knows the threads and they carry the
 * application's context; in Java SE, daemon threads of our own, stopped with the container. (Not
 * {@code CompletableFuture.orTimeout}: its JDK timer thread would outlive an undeployed WAR.)
 * Looked up in JNDI rather than injected with {@code @Resource}, so the same bean runs in both.
 * Created when the application starts (the look-up needs the deployment's naming context).
 * Thread-safe.
 */
@ApplicationScoped
public class ExampleThreads {
    static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";

    private Executor executor;
    private ThreadFactory threadFactory;
    private ScheduledExecutorService scheduler;
    private ExecutorService owned;
    private ScheduledExecutorService ownedScheduler;

    @PostConstruct
    void lookUp() {
        threadFactory = lookup(MANAGED_THREAD_FACTORY, ThreadFactory.class).orElseGet(ExampleThreads::daemonThreads);
        executor = lookup(MANAGED_EXECUTOR, Executor.class).orElseGet(() -> {
            owned = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory);
            return owned;
        });
        scheduler = lookup(MANAGED_SCHEDULER, ScheduledExecutorService.class).orElseGet(() -> {
            ownedScheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
            return ownedScheduler;
        });
    }

    void createAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        executor(); // the client proxy creates the bean now, on the deployment's thread
    }

    /** Runs short tasks. */
    public Executor executor() {
        return executor;
    }

    /** Runs short tasks after a delay (timeouts). */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Makes threads for loops that block as long as a session lives. */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    @PreDestroy
    void stop() {
        if (owned != null) {
            owned.shutdown();
        }
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
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
