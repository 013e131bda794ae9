package io.libchan.internal.nio;

import io.libchan.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of {@link IoLoop}s that read every connection of one kind: by default as many loops
 * as cores ({@code -Dlibchan.ioThreads=N} overrides), created on first use and shared by every
 * listener and client in the JVM. A connection stays on the loop it was given for its whole life.
 * Loops are made by the settings' thread factory when there is one (a container's managed
 * factory), else as daemon platform threads {@code libchan-io-N}; {@link #shutdownDefaults()}
 * stops them (a WAR that bundles the library calls it on undeploy) and they are made again if
 * needed. Thread-safe.
 */
public final class IoLoopGroup {
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };
    /** Groups by selector provider, then by thread factory (guarded by the class). */
    private static final Map<SelectorProvider, Map<ThreadFactory, IoLoopGroup>> GROUPS = new IdentityHashMap<>();

    private final List<IoLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    private IoLoopGroup(SelectorProvider provider, ThreadFactory threads, String prefix, int size) throws IOException {
        List<IoLoop> made = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            made.add(new IoLoop(provider, threads, prefix + i));
        }
        this.loops = List.copyOf(made);
    }

    /** The number of loops a group gets: {@code libchan.ioThreads}, else the number of cores. */
    public static int defaultSize() {
        return Math.max(1, Integer.getInteger("libchan.ioThreads", Runtime.getRuntime().availableProcessors()));
    }

    /** The JDK's default provider's group for {@code settings}. */
    public static IoLoopGroup forSettings(Settings settings) {
        return forSettings(settings, SelectorProvider.provider(), "libchan-io-");
    }

    /**
     * The shared group for channels of {@code provider} (junixsocket's for unix sockets) with the
     * settings' thread factory, made on first use; thread names start with {@code prefix}.
     */
    public static synchronized IoLoopGroup forSettings(Settings settings, SelectorProvider provider, String prefix) {
        ThreadFactory threads = settings.threadFactory().orElse(DAEMONS);
        Map<ThreadFactory, IoLoopGroup> byFactory = GROUPS.computeIfAbsent(provider, p -> new IdentityHashMap<>());
        IoLoopGroup group = byFactory.get(threads);
        if (group == null || group.isStopping()) {
            try {
                group = new IoLoopGroup(provider, threads, prefix, defaultSize());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
            }
            byFactory.put(threads, group);
        }
        return group;
    }

    /** The loop for a new connection (round robin). */
    public IoLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    private boolean isStopping() {
        return loops.stream().anyMatch(IoLoop::isStopping);
    }

    /** Stops every group's loops; connections still registered are failed. */
    public static void shutdownDefaults() {
        List<IoLoopGroup> all = new ArrayList<>();
        synchronized (IoLoopGroup.class) {
            GROUPS.values().forEach(m -> all.addAll(m.values()));
            GROUPS.clear();
        }
        for (IoLoopGroup g : all) {
            g.loops.forEach(IoLoop::shutdown);
        }
    }
}
