package io.libchan.internal.session;

import io.libchan.Settings;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the library runs on besides its I/O threads ({@code internal.nio.IoLoopGroup}):
 * those the application gave in {@link Settings} (a container passes its managed executor, thread
 * factory and scheduler; an application on Java 21+ may pass virtual threads), else the library's
 * own, created on first use: daemon platform threads for short tasks, and one daemon timer thread.
 * {@link #shutdownDefaults} stops the library's own, the I/O threads included (a WAR that bundles the library and
 * gave no managed threads calls it on undeploy, so no thread keeps its class loader); they are
 * created again if needed. Blocking calls of the API stay cheap on the caller's virtual threads:
 * they park with {@code LockSupport}, never in {@code synchronized}.
 */
public final class SessionThreads {
    private static final ThreadFactory FACTORY = new PlatformFactory();
    private static ExecutorService executor;            // guarded by SessionThreads.class
    private static ScheduledExecutorService timer;      // guarded by SessionThreads.class
    private static boolean defaultsShutDown;            // guarded by SessionThreads.class

    private SessionThreads() {
    }

    /** The executor for pumps, async sends and push delivery: the settings' own, else the library's. */
    public static Executor executor(Settings settings) {
        return settings.executor().orElseGet(SessionThreads::executor);
    }

    /**
     * The scheduler for keep-alive and timeouts: the library's own, or the settings' (a container's)
     * seen through {@link DetachingScheduler}, so that a cancelled timer keeps nothing of ours queued.
     */
    public static ScheduledExecutorService timer(Settings settings) {
        return settings.scheduler().<ScheduledExecutorService>map(DetachingScheduler::new).orElseGet(SessionThreads::timer);
    }

    /** The library's own executor. */
    public static synchronized Executor executor() {
        if (executor == null || executor.isShutdown()) {
            java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) Executors.newCachedThreadPool(FACTORY);
            if (defaultsShutDown) {
                // made again by a late task after shutdownDefaults (a session ending after its
                // application stopped): its threads go a second after that task, not a minute
                pool.setKeepAliveTime(1, TimeUnit.SECONDS);
            }
            executor = pool;
        }
        return executor;
    }

    /** The library's own thread factory: daemon platform threads. */
    public static ThreadFactory factory() {
        return FACTORY;
    }

    /** The library's own timer thread. */
    public static synchronized ScheduledExecutorService timer() {
        if (timer == null || timer.isShutdown()) {
            java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "libchan-timer");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true); // cancelled drain timers must not keep the thread busy
            // an idle timer lets its thread go: one created again by a late task after
            // shutdownDefaults (a closing connection's last timeout) does not outlive that task
            t.setKeepAliveTime(1, TimeUnit.SECONDS);
            t.allowCoreThreadTimeOut(true);
            timer = t;
        }
        return timer;
    }

    /** Stops the library's own executor and timer, waiting up to {@code millis} for running tasks. */
    public static void shutdownDefaults(long millis) {
        synchronized (SessionThreads.class) {
            defaultsShutDown = true;
        }
        io.libchan.internal.nio.IoLoopGroup.shutdownDefaults(); // connections still open are failed
        ExecutorService e;
        ScheduledExecutorService t;
        synchronized (SessionThreads.class) {
            e = executor;
            t = timer;
            executor = null;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        if (e != null) {
            e.shutdown();
            try {
                if (!e.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }

    /** {@code Thread.isVirtual()} on Java 21+; null on Java 17, where every thread is a platform thread. */
    private static final java.lang.invoke.MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static java.lang.invoke.MethodHandle isVirtualHandle() {
        try {
            return java.lang.invoke.MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    java.lang.invoke.MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** True for a virtual thread (Java 21+). */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class PlatformFactory implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "libchan-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
