package io.libchan.undertow.internal.server;

import io.libchan.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions an endpoint handed out and that have not ended yet, so that a deployment going away
 * can end them ({@link #closeAll()}) instead of leaving them to outlive it: an HTTP/2 tunnel lives
 * on a connection of the container's, which nothing else closes when the application stops.
 * Thread-safe.
 */
public final class LiveSessions {
    private final Set<Transport> live = ConcurrentHashMap.newKeySet();

    /** Tracks {@code session} until it ends. */
    public void add(Transport session) {
        live.add(session);
        session.closeFuture().whenComplete((done, error) -> live.remove(session));
    }

    /**
     * Closes every live session gracefully ({@link Transport#close()}): GOAWAY at once, the channels
     * still open get the session's drain timeout, then the tunnel stream or connection is cut.
     * Returns without waiting for them.
     */
    public void closeAll() {
        List<Transport> now = new ArrayList<>(live);
        for (Transport session : now) {
            try {
                session.close();
            } catch (RuntimeException e) {
                session.abort(); // its wire is already broken: make sure it ends
            }
        }
    }

    /**
     * Once every session live now has ended, or {@code grace} has passed, closes those still live
     * ({@link #closeAll()}). Returns at once; the wait runs on a daemon thread of its own, which ends
     * as soon as the sessions do (the container's or libchan's threads may be going away with the
     * application).
     */
    public void closeAllAfter(java.time.Duration grace) {
        List<java.util.concurrent.CompletableFuture<?>> ends = new ArrayList<>();
        for (Transport session : live) {
            ends.add(session.closeFuture().handle((done, error) -> null));
        }
        if (ends.isEmpty()) {
            return;
        }
        java.util.concurrent.CompletableFuture<Void> all = java.util.concurrent.CompletableFuture.allOf(
                ends.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
        Thread waiter = new Thread(() -> {
            try {
                all.get(grace.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // some are still open: closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeAll();
        }, "libchan-mount-shutdown");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** How many live sessions went away (GOAWAY) more than twice their drain timeout before {@code now}. */
    public int stuckDraining(long now) {
        int stuck = 0;
        for (Transport session : live) {
            if (io.libchan.internal.transport.Draining.overdue(session, now)) {
                stuck++;
            }
        }
        return stuck;
    }

    /** How many sessions are live now. */
    public int size() {
        return live.size();
    }
}
