package io.libchan.demo.raw;

import io.libchan.internal.session.SessionThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Stops the threads libchan-core keeps in static fields (its keep-alive/timeout timer and its default
 * pool) when the WAR is undeployed. The timer thread never ends by itself, and it holds this WAR's
 * class loader: without this, every redeploy would leak one.
 *
 * <p>A stopgap: it reaches into {@code io.libchan.internal}, which is not API, until libchan-core
 * lets a container hand it its own threads or stop them. It is right only because libchan-core is
 * bundled in this WAR (the statics belong to this deployment alone); with libchan-core as a shared
 * server module it would stop everyone's timer.
 */
final class LibchanCoreThreads {
    private LibchanCoreThreads() {
    }

    /** Lets the threads end once their work is done; call after every libchan session has ended. */
    static void release() {
        SessionThreads.timer().shutdown();
        Executor pool = SessionThreads.executor();
        if (pool instanceof ExecutorService) {
            ((ExecutorService) pool).shutdown();
        }
    }
}
