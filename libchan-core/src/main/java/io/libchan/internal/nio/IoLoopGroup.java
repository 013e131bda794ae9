package io.libchan.internal.nio;

import io.libchan.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link IoLoop}s that read every connection of one {@link Kind}: by default as
 * many loops as cores ({@code -Dlibchan.ioThreads=N} overrides), shared by every listener and client
 * in the JVM. A connection or listener {@linkplain #lease leases} a loop for its whole life and
 * {@linkplain IoLoop#release() releases} it when it closes; a group nobody has used for
 * {@value #IDLE_SECONDS} s stops its threads, and the next lease makes a new one. So the I/O
 * threads exist while connections do, and a WAR whose connections are closed leaves none behind.
 * {@link #shutdownDefaults()} stops every group at once (connections still open fail).
 * Thread-safe; groups are created, leased and stopped under the class lock.
 */
public final class IoLoopGroup {
    static final long IDLE_SECONDS = 2;
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };
    /** The live group of each kind (guarded by the class). */
    private static final Map<Kind, IoLoopGroup> GROUPS = new HashMap<>();

    /**
     * What sort of loops a connection needs: its channels' selector provider (the JDK's, or
     * junixsocket's for unix sockets), the thread factory (the settings', e.g. a container's
     * managed one, else the library's daemon threads) and the threads' name prefix.
     */
    public record Kind(SelectorProvider provider, ThreadFactory threads, String prefix) {
        /** The JDK's sockets with the settings' thread factory: threads {@code libchan-io-N}. */
        public static Kind of(Settings settings) {
            return of(settings, SelectorProvider.provider(), "libchan-io-");
        }

        public static Kind of(Settings settings, SelectorProvider provider, String prefix) {
            return new Kind(provider, settings.threadFactory().orElse(DAEMONS), prefix);
        }
    }

    private final Kind kind;
    private final List<IoLoop> loops;
    private final AtomicInteger next = new AtomicInteger();
    private int users;            // guarded by the class
    private long idleGeneration;  // guarded by the class: counts the times users fell to 0
    private boolean stopped;      // guarded by the class

    private IoLoopGroup(Kind kind, int size) throws IOException {
        this.kind = kind;
        List<IoLoop> made = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            made.add(new IoLoop(kind.provider(), kind.threads(), kind.prefix() + i, this));
        }
        this.loops = List.copyOf(made);
    }

    /** The number of loops a group gets: {@code libchan.ioThreads}, else the number of cores. */
    public static int defaultSize() {
        return Math.max(1, Integer.getInteger("libchan.ioThreads", Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A loop of the live group of {@code kind} (made now if there is none), for one connection or
     * listener, which must {@linkplain IoLoop#release() release} it once, when it closes.
     *
     * @throws UncheckedIOException when no selector can be opened (out of file descriptors)
     */
    public static synchronized IoLoop lease(Kind kind) {
        IoLoopGroup group = GROUPS.get(kind);
        if (group == null) {
            try {
                group = new IoLoopGroup(kind, defaultSize());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
            }
            GROUPS.put(kind, group);
        }
        group.users++;
        return group.loops.get(Math.floorMod(group.next.getAndIncrement(), group.loops.size()));
    }

    /** One lease ended; the last one starts the idle time after which the threads stop. */
    void release() {
        long generation;
        synchronized (IoLoopGroup.class) {
            if (--users > 0 || stopped) {
                return;
            }
            generation = ++idleGeneration;
        }
        IoLoop first = loops.get(0);
        try {
            first.execute(() -> first.schedule(TimeUnit.SECONDS.toNanos(IDLE_SECONDS), () -> stopIfIdle(generation)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping already
        }
    }

    private void stopIfIdle(long generation) {
        synchronized (IoLoopGroup.class) {
            if (users > 0 || stopped || idleGeneration != generation) {
                return;
            }
            stopped = true;
            GROUPS.remove(kind, this);
        }
        loops.forEach(IoLoop::shutdown);
    }

    /** Stops every group's loops now; connections still registered are failed. */
    public static void shutdownDefaults() {
        List<IoLoopGroup> all;
        synchronized (IoLoopGroup.class) {
            all = new ArrayList<>(GROUPS.values());
            GROUPS.clear();
            all.forEach(g -> g.stopped = true);
        }
        for (IoLoopGroup g : all) {
            g.loops.forEach(IoLoop::shutdown);
        }
    }
}
