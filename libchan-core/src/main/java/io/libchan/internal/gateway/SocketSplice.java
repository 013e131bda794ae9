package io.libchan.internal.gateway;

import io.libchan.internal.nio.IoLoop;
import io.libchan.internal.nio.IoLoopGroup;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Joins two connected sockets with no thread of its own: a local client's socket and the target's
 * socket the gateway handed over ({@code UnixGateway.forward}), where no session is left in the
 * path. Each socket is registered on a gateway I/O loop of its own selector provider (the JDK's
 * for the local socket, junixsocket's for a received descriptor; the same loop when both are the
 * JDK's). All the copying is done on the local socket's loop (the <b>home</b> loop); the other
 * loop only watches its socket and hands each readiness to the home loop, so the tunnel's state is
 * only ever touched by one thread.
 *
 * <p>Each direction reads a chunk into the home thread's read buffer and writes it on at once; what
 * the receiving socket does not take waits in that direction's own buffer, and the sending socket is
 * not read until it is gone (TCP then holds the sender back). A FIN becomes a half-close on the
 * other socket; once both directions ended both sockets are closed. A failure on either side (a
 * reset) or {@link #abort()} closes both at once, with a reset (linger 0).
 *
 * <p>Costs per tunnel: no thread; a selection key per socket; a buffer per direction only once the
 * receiver was slower than the sender.
 */
public final class SocketSplice implements Tunnel {
    /** The most one read takes: LoopSplice's chunk (fewer system calls in bulk, small answers at their size). */
    private static final int CHUNK = LoopSplice.CHUNK;
    /** Reads per readiness event: one busy tunnel does not starve the loop's other connections. */
    private static final int READS_PER_EVENT = 16;
    /** The gateway's loops per selector provider other than the JDK's (junixsocket's), made on first use. */
    private static final Map<SelectorProvider, IoLoopGroup.Kind> OTHER_LOOPS = new ConcurrentHashMap<>();

    private final Side local;
    private final Side target;
    /** local to target, and target to local. */
    private final Direction out;
    private final Direction back;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int running = 2; // the home loop only

    private SocketSplice(Side local, Side target) {
        this.local = local;
        this.target = target;
        this.out = new Direction(local, target);
        this.back = new Direction(target, local);
    }

    /**
     * A splice of {@code local} and {@code target} on gateway loops; empty when no loop can be had
     * for one of them (no selector: out of descriptors), then nothing was leased.
     */
    public static Optional<SocketSplice> of(SocketChannel local, SocketChannel target) {
        IoLoop home;
        try {
            home = IoLoopGroup.lease(kind(local.provider()));
        } catch (java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        IoLoop other;
        if (home.accepts(target)) {
            other = home; // leased once more: each side releases its own lease
            IoLoopGroup.lease(kind(target.provider()));
        } else {
            try {
                other = IoLoopGroup.lease(kind(target.provider()));
            } catch (java.io.UncheckedIOException e) {
                home.release();
                return Optional.empty();
            }
        }
        return Optional.of(new SocketSplice(new Side(local, home), new Side(target, other)));
    }

    private static IoLoopGroup.Kind kind(SelectorProvider provider) {
        if (provider == SelectorProvider.provider()) {
            return LoopSplice.OWN_LOOPS;
        }
        return OTHER_LOOPS.computeIfAbsent(provider, p -> new IoLoopGroup.Kind(p, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }, "libchan-gateway-fd-io-"));
    }

    /** Starts copying; returns at once. */
    public void start() {
        try {
            local.channel.configureBlocking(false);
            target.channel.configureBlocking(false);
            local.loop.execute(() -> register(local));
            target.loop.execute(() -> register(target));
        } catch (IOException | RejectedExecutionException e) {
            abort();
        }
    }

    /** On the side's loop: registered for reads, readiness going to the home loop. */
    private void register(Side side) {
        if (closed.get()) {
            return;
        }
        try {
            side.key = side.loop.register(side.channel, SelectionKey.OP_READ, new Watcher(side));
        } catch (IOException | RuntimeException e) {
            home(this::abort);
            return;
        }
        // what the home loop did before the key existed (bytes waiting for this socket) is watched now
        home(() -> {
            if (!closed.get()) {
                side.want(interest(side));
            }
        });
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public long bytesToTarget() {
        return out.bytes;
    }

    @Override
    public long bytesFromTarget() {
        return back.bytes;
    }

    /** Closes both sockets at once, with a reset. Idempotent; any thread. */
    @Override
    public void abort() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Side s : new Side[] {local, target}) {
            try {
                if (s.channel.isOpen()) {
                    s.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException | RuntimeException e) {
                // closing below is what matters
            }
        }
        closeBoth();
    }

    private void closeBoth() {
        local.close();
        target.close();
        done.complete(null);
    }

    // ------------------------------------------------------------------ the home loop

    /** The home loop: {@code side}'s socket is ready for {@code ops}. */
    private void ready(Side side, int ops) {
        if (closed.get()) {
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            flush(side == local ? back : out);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && !closed.get()) {
            pump(side == local ? out : back);
        }
        settle();
    }

    /**
     * The home loop: {@code side}'s selector reported it hung up or failed (junixsocket's reports
     * POLLHUP and POLLERR as an invalid key, which it then reports again at every select, so the
     * key was cancelled). What the socket still holds is read without the selector, and what waits
     * for it is written now: either ends in its EOF or a failure.
     */
    private void hungUp(Side side) {
        if (closed.get()) {
            return;
        }
        side.hungUp = true;
        Direction to = side == local ? back : out;
        flush(to);
        if (to.waiting() && !closed.get()) {
            abort(); // bytes no one will take any more
            return;
        }
        settle();
    }

    /** After any work: hung-up senders are read as far as their receivers take, then the keys watch what is left. */
    private void settle() {
        for (Direction d : new Direction[] {out, back}) {
            if (!closed.get() && d.from.hungUp && d.mayRead() && pump(d)) {
                home(() -> {
                    if (!closed.get()) {
                        settle(); // more than one event's reads: the loop's other connections go first
                    }
                });
            }
        }
        if (!closed.get()) {
            local.want(interest(local));
            target.want(interest(target));
        }
    }

    /** What {@code side} is to be watched for now: reads while its direction may read, writes while bytes wait for it. */
    private int interest(Side side) {
        Direction from = side == local ? out : back;
        Direction to = side == local ? back : out;
        return (from.mayRead() ? SelectionKey.OP_READ : 0) | (to.waiting() ? SelectionKey.OP_WRITE : 0);
    }

    /**
     * Reads {@code d}'s sender and writes each chunk on, until it is drained, ends, or its receiver
     * is full. True when it stopped only because it read as much as one event may.
     */
    private boolean pump(Direction d) {
        ByteBuffer buf = LoopSplice.READ_BUFFER.get(); // the gateway loop's, shared with its other tunnels
        for (int i = 0; i < READS_PER_EVENT && d.mayRead() && !closed.get(); i++) {
            buf.clear();
            int n;
            try {
                n = d.from.channel.read(buf);
            } catch (IOException e) {
                abort();
                return false;
            }
            if (n < 0) {
                d.ended = true;
                try {
                    d.to.channel.shutdownOutput();
                } catch (IOException e) {
                    abort();
                    return false;
                }
                if (--running == 0 && closed.compareAndSet(false, true)) {
                    closeBoth();
                }
                return false;
            }
            if (n == 0) {
                return false;
            }
            buf.flip();
            try {
                d.bytes += d.to.channel.write(buf);
            } catch (IOException e) {
                abort();
                return false;
            }
            if (buf.hasRemaining()) {
                d.keep(buf); // the receiver is full: the rest waits, the sender is not read meanwhile
                return false;
            }
            if (n < CHUNK) {
                // drained: the selector says when more comes, or for a hung-up sender the next read its EOF
                return d.from.hungUp && d.mayRead();
            }
        }
        return d.mayRead() && !closed.get();
    }

    /** Writes what waited for {@code d}'s receiver. */
    private void flush(Direction d) {
        if (!d.waiting()) {
            return;
        }
        try {
            d.bytes += d.to.channel.write(d.pending);
        } catch (IOException e) {
            abort();
            return;
        }
        if (!d.pending.hasRemaining()) {
            d.pending.clear().limit(0);
        }
    }

    /** Runs {@code task} on the home loop (never inline), or here once that loop is gone. */
    private void home(Runnable task) {
        try {
            local.loop.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** One socket and the loop it is registered on. */
    private static final class Side {
        final SocketChannel channel;
        final IoLoop loop;
        volatile SelectionKey key;
        /** Its selector reported a hang-up or an error: it is read without it (home loop only). */
        boolean hungUp;

        Side(SocketChannel channel, IoLoop loop) {
            this.channel = channel;
            this.loop = loop;
        }

        /** Sets the key's interest (any thread; the side's loop is woken when it is not this one). */
        void want(int ops) {
            SelectionKey k = key;
            if (k == null) {
                return;
            }
            try {
                if (k.interestOps() != ops) {
                    k.interestOps(ops);
                    if (!loop.inLoop()) {
                        loop.wakeup();
                    }
                }
            } catch (CancelledKeyException e) {
                // closed meanwhile
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // already closed
            }
            if (!loop.inLoop()) {
                loop.wakeup(); // its selector lets go of the channel's descriptor at its next select
            }
            loop.release(); // once: closeBoth runs once
        }
    }

    /** One way through the tunnel (home loop only). */
    private static final class Direction {
        final Side from;
        final Side to;
        /** Bytes the receiver did not take yet; made on the first such write, then kept. */
        ByteBuffer pending;
        boolean ended;
        volatile long bytes;

        Direction(Side from, Side to) {
            this.from = from;
            this.to = to;
        }

        boolean waiting() {
            return pending != null && pending.hasRemaining();
        }

        boolean mayRead() {
            return !ended && !waiting();
        }

        void keep(ByteBuffer rest) {
            if (pending == null) {
                pending = ByteBuffer.allocateDirect(CHUNK);
            }
            pending.clear();
            pending.put(rest).flip();
        }
    }

    /** A socket's readiness: handled at once on the home loop, else handed to it (the key quiet meanwhile). */
    private final class Watcher implements IoLoop.Handler {
        private final Side side;

        Watcher(Side side) {
            this.side = side;
        }

        @Override
        public void ready(int readyOps) {
            if (readyOps == 0) {
                // an invalid key: closed by us, or junixsocket's hang-up or error report (it would come again at once)
                side.key.cancel();
                home(() -> hungUp(side));
                return;
            }
            if (side.loop == local.loop) {
                SocketSplice.this.ready(side, readyOps);
                return;
            }
            side.key.interestOps(0); // the home loop sets it again once it handled this
            home(() -> SocketSplice.this.ready(side, readyOps));
        }

        @Override
        public void failed(Throwable error) {
            abort(); // the loop stops, or a handler threw
        }
    }
}
