package io.libchan.internal.session;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads the library uses when the application gives none: virtual threads on Java 21+
 * (found reflectively: we compile for 17), else a cached pool of daemon threads; and one daemon
 * timer thread for keep-alive and timeouts. A container passes its managed executor instead.
 */
public final class SessionThreads {
    private static final ThreadFactory FACTORY = createFactory();
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(FACTORY);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "libchan-timer");
        t.setDaemon(true);
        return t;
    });

    private SessionThreads() {
    }

    /** The default executor for pumps, async sends and push delivery. */
    public static Executor executor() {
        return EXECUTOR;
    }

    /** A thread factory for long-running loops (connection readers): virtual threads when available. */
    public static ThreadFactory factory() {
        return FACTORY;
    }

    public static ScheduledExecutorService timer() {
        return TIMER;
    }

    /** True when running on virtual threads (Java 21+). */
    public static boolean virtual() {
        return !(FACTORY instanceof PlatformFactory);
    }

    private static ThreadFactory createFactory() {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method name = builder.getClass().getMethod("name", String.class, long.class);
            name.setAccessible(true);
            builder = name.invoke(builder, "libchan-", 0L);
            Method factory = builder.getClass().getMethod("factory");
            factory.setAccessible(true);
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new PlatformFactory();
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
