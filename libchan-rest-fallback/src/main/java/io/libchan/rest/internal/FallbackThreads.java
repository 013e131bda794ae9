package io.libchan.rest.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The threads that run session work for this module: forwarding nested channels and byte streams,
 * async sends, push delivery. Not the container's {@code ManagedExecutorService} (a small pool that
 * reports long tasks as hung) but a cached pool of its {@code ManagedThreadFactory} threads, owned by
 * the application and stopped with it; outside a container, daemon threads. Idle channels hold none
 * of them: both framings forward nested channels by push, and a libchan.json channel whose reader is
 * slow waits for credit without a thread. Unbounded still, because some work blocks for as long as a
 * stream is open or a peer withholds its window, and a bounded pool would stall every session behind
 * a few such streams: copying an {@code InputStream} the application put in a message, and, in the
 * SPDY framing, a send waiting for the peer's window. Serving the sessions' channels holds none of
 * these (libchan-cdi serves them by push).
 */
final class FallbackThreads {
    private static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";

    private FallbackThreads() {
    }

    static ExecutorService create() {
        return Executors.newCachedThreadPool(managed().orElseGet(FallbackThreads::daemons));
    }

    private static java.util.Optional<ThreadFactory> managed() {
        try {
            Object found = new InitialContext().lookup(MANAGED_THREAD_FACTORY);
            return found instanceof ThreadFactory ? java.util.Optional.of((ThreadFactory) found) : java.util.Optional.empty();
        } catch (NamingException | RuntimeException | LinkageError e) {
            return java.util.Optional.empty(); // Java SE: no JNDI
        }
    }

    private static ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "libchan-rest-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
