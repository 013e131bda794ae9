package io.libchan.cdi.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The threads this module runs on. Inside a Jakarta EE container: the default managed executor and
 * thread factory, looked up in JNDI, and a timer of this module's own on a managed thread (the
 * managed scheduled executor only where there is no managed thread factory). In Java SE: a bounded pool of daemon
 * platform threads ({@code libchan.threads}, {@link TaskThreads}; virtual threads only when asked
 * for), and one daemon timer thread. Three uses: {@link #tasks()} for endpoint calls and message
 * delivery (bounded: sessions and channels are served by push, so a task never waits on an idle
 * channel, and a blocking endpoint call holds one task, at most {@code max-concurrency} of them
 * per endpoint), {@link #startLoop} for the few steps of shutdown that block (one per in-app pipe
 * and per remote channel, as configured; they must not take a task slot the calls they wait for
 * may need; sessions are drained without a thread), and {@link #schedule} for back-off delays and
 * timeouts. Thread-safe.
 */
final class LibchanExecutors {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");
    static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";
    static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    static final String MANAGED_SCHEDULER = "java:comp/DefaultManagedScheduledExecutorService";

    private final Executor tasks;
    private final ThreadFactory loops;
    private final boolean nameLoops;
    private final ScheduledExecutorService timer;
    private final List<ExecutorService> owned = new ArrayList<>();
    private final boolean managedThreads;
    private volatile ExecutorService sessionPool; // library work of libchan sessions, on managed threads

    private LibchanExecutors(TaskThreads configured) {
        Optional<ExecutorService> managed = lookup(MANAGED_EXECUTOR, ExecutorService.class);
        Optional<ThreadFactory> virtual = virtualThreads("libchan-cdi-");
        ThreadFactory platform = platformThreads("libchan-cdi-loop-");
        Optional<ThreadFactory> managedFactory = lookup(MANAGED_THREAD_FACTORY, ThreadFactory.class);
        this.managedThreads = managedFactory.isPresent();
        this.loops = managedFactory.or(() -> virtual).orElse(platform);
        this.nameLoops = loops == platform;
        if (managed.isPresent()) {
            this.tasks = managed.get();
        } else {
            ExecutorService own = configured.virtual()
                    ? virtual.flatMap(LibchanExecutors::threadPerTask).orElseGet(() -> pool(TaskThreads.defaults()))
                    : pool(configured);
            owned.add(own);
            this.tasks = own;
        }
        // timers on a scheduler of our own, on managed threads where there are: the container's
        // managed scheduler keeps a cancelled task queued until its time, with the deployment's
        // context (class loader) captured in it, so every session's cancelled keep-alive held an
        // undeployed WAR for up to a keep-alive interval; ours drops cancelled tasks at once
        this.timer = managedFactory.map(this::ownTimer)
                .or(() -> lookup(MANAGED_SCHEDULER, ScheduledExecutorService.class))
                .orElseGet(() -> ownTimer(platformThreads("libchan-cdi-timer-")));
    }

    /** One timer thread from {@code threads}, ending when idle; cancelled tasks leave its queue at once. */
    private ScheduledExecutorService ownTimer(ThreadFactory threads) {
        java.util.concurrent.ScheduledThreadPoolExecutor own = new java.util.concurrent.ScheduledThreadPoolExecutor(1, threads);
        own.setRemoveOnCancelPolicy(true);
        own.setKeepAliveTime(1, TimeUnit.SECONDS);
        own.allowCoreThreadTimeOut(true);
        owned.add(own);
        return own;
    }

    /** The executors for an application configured with {@code threads} (used only outside a container). */
    static LibchanExecutors create(TaskThreads threads) {
        return new LibchanExecutors(threads);
    }

    /** With the default {@link TaskThreads}. */
    static LibchanExecutors create() {
        return create(TaskThreads.defaults());
    }

    /**
     * A fixed pool whose queue holds the tasks over its size: at most one delivery or call per
     * served channel (each asks for its next message only once the last was handled), so it grows
     * with the channels, not with their traffic. Idle threads end after 30 s.
     */
    private static ExecutorService pool(TaskThreads threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads.threads(), threads.threads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), platformThreads("libchan-cdi-task-"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Runs short tasks: endpoint calls, message delivery. */
    Executor tasks() {
        return tasks;
    }

    /** Runs {@code task} on {@link #tasks()}, or on the calling thread when that executor refuses (shutting down). */
    void execute(Runnable task) {
        try {
            tasks.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Starts a blocking step on a thread of its own (managed, or virtual where possible). */
    void startLoop(String name, Runnable loop) {
        Thread thread = loops.newThread(loop);
        if (nameLoops) {
            thread.setName("libchan-cdi " + name);
        }
        thread.start();
    }

    /**
     * The container's managed thread factory, where there is one: the gateway takes its threads
     * from it (its requests, the dialing of targets, the loops that watch targets' sockets), so no
     * tunnel work runs on an unmanaged thread. Empty in Java SE: the gateway then runs on the
     * library's own daemon threads ({@code libchan-gateway-*}), which it stops when closed.
     */
    Optional<ThreadFactory> managedThreadFactory() {
        return managedThreads ? Optional.of(loops) : Optional.empty();
    }

    /**
     * Runs {@code task} after {@code delay}, on the timer; the task must not block. Once the timer
     * is shut down the task is dropped (only shutdown-time timeouts and retries are affected).
     */
    Future<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * The settings of a session this module opens, with the container's threads when there is a
     * container: connection readers and accept loops on the managed thread factory, the session's
     * own work (pumps, byte-stream copies, some of which block as long as a stream is open) on a
     * pool of managed threads owned by this module, timers on a timer thread of this module (managed too). So no libchan
     * work runs on an unmanaged thread, and nothing of the library's own threads outlives the
     * application. In Java SE the threads are left as they are. In both, sessions report their
     * metrics to the application's own OpenTelemetry bean when it has one and the settings name none.
     */
    io.libchan.Settings forSessions(io.libchan.Settings settings) {
        io.opentelemetry.api.OpenTelemetry own = settings.openTelemetry().isPresent() ? null : telemetry.get();
        if (!managedThreads && own == null) {
            return settings;
        }
        io.libchan.Settings.Builder b = settings.toBuilder();
        if (own != null) {
            // the application's OpenTelemetry (MicroProfile Telemetry gives each deployment its own
            // and leaves the global one unset): its sessions' metrics go where its spans go
            b.openTelemetry(own);
        }
        if (managedThreads) {
            b.threadFactory(loops).executor(sessionPool()).scheduler(timer);
        }
        return b.build();
    }

    private volatile java.util.function.Supplier<io.opentelemetry.api.OpenTelemetry> telemetry = () -> null;

    /** Where the application's own OpenTelemetry comes from (null from it: none; the global one is then used). */
    void telemetryFrom(java.util.function.Supplier<io.opentelemetry.api.OpenTelemetry> source) {
        this.telemetry = source;
    }

    private synchronized ExecutorService sessionPool() {
        if (sessionPool == null) {
            sessionPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), loops);
            owned.add(sessionPool);
        }
        return sessionPool;
    }

    /** Stops the executors this class created (never the container's); running tasks finish. */
    void close() {
        owned.forEach(ExecutorService::shutdown);
    }

    private static <T> Optional<T> lookup(String name, Class<T> type) {
        try {
            Object found = new InitialContext().lookup(name);
            return type.isInstance(found) ? Optional.of(type.cast(found)) : Optional.empty();
        } catch (NamingException | RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, () -> "no " + name + " (" + e + "), using a library executor");
            return Optional.empty();
        }
    }

    /** {@code Thread.ofVirtual().name(prefix, 0).factory()} on Java 21+. */
    private static Optional<ThreadFactory> virtualThreads(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            return Optional.of((ThreadFactory) builderType.getMethod("factory").invoke(builder));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code Executors.newThreadPerTaskExecutor(factory)} on Java 21+. */
    private static Optional<ExecutorService> threadPerTask(ThreadFactory factory) {
        try {
            return Optional.of((ExecutorService) Executors.class
                    .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, factory));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ThreadFactory platformThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
