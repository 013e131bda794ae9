package io.libchan.internal.gateway;

import io.libchan.ByteStream;
import io.libchan.internal.bytes.SocketByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies bytes both ways between a libchan {@link ByteStream} and a connected socket, each
 * direction on a task of its own (through the blocking ByteStream API, so each direction holds a
 * thread while the tunnel is open). Only for streams no I/O thread can drive ({@link LoopSplice}
 * takes every session byte stream of the network transports, WebSocket and HTTP/2 included, and
 * {@link SocketSplice} a socket the gateway handed over): the byte streams of sessions that have no
 * I/O thread (a JSON WebSocket session, an in-memory transport), and a handed-over socket when no
 * selector could be opened for it. A FIN on one side becomes a half-close on the other; once both
 * directions ended cleanly both ends are closed. A failure on either side (a reset, a lost
 * session, {@link #abort()}) closes both at once: the socket with a reset (linger 0) where it is
 * TCP, the stream with its reset. {@link #done()} completes once both ends are closed.
 */
public final class Splice implements Tunnel {
    private static final int BUFFER = 64 * 1024;
    private final ByteStream stream;
    private final SocketChannel socket;
    private final AtomicInteger running = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long toSocket; // written by the stream-to-socket thread only
    private volatile long fromSocket; // written by the socket-to-stream thread only

    /** A splice not yet started: {@link #run(Executor)} starts it. */
    public Splice(ByteStream stream, SocketChannel socket) {
        this.stream = stream;
        this.socket = socket;
    }

    /**
     * Starts the socket-to-stream direction on a task of {@code copies} and copies stream-to-socket
     * on the calling thread; returns once that direction ended (the other may still run).
     */
    public void run(Executor copies) {
        try {
            copies.execute(this::socketToStream);
        } catch (RuntimeException e) {
            running.decrementAndGet();
            abort();
        }
        streamToSocket();
    }

    /**
     * Joins {@code local} to the tunnel {@code open} opens (on a task of {@code copies}; then
     * without a thread when the session has an I/O thread ({@link LoopSplice}) or the tunnel is a
     * socket the gateway handed over ({@link SocketSplice}), else on two tasks held while it is
     * open); {@code started} sees the splice before it runs. The future completes once both ends
     * are closed, exceptionally (and {@code local} closed) if the tunnel could not be opened.
     */
    public static CompletableFuture<Void> forward(java.util.function.Supplier<ByteStream> open, SocketChannel local,
            Executor copies, java.util.function.Consumer<Tunnel> started) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        copies.execute(() -> {
            ByteStream stream;
            try {
                stream = open.get();
            } catch (RuntimeException e) {
                try {
                    local.close();
                } catch (IOException ignored) {
                    // the refusal is what the caller hears about
                }
                done.completeExceptionally(e);
                return;
            }
            java.util.Optional<SocketSplice> sockets = stream instanceof SocketByteStream
                    ? ((SocketByteStream) stream).channel().flatMap(target -> SocketSplice.of(local, target))
                    : java.util.Optional.empty();
            if (sockets.isPresent()) {
                // a socket the gateway handed over: the gateway's I/O loops join it to local, this task ends here
                SocketSplice splice = sockets.get();
                begin(splice, splice::start, done, started);
                return;
            }
            java.util.Optional<LoopSplice> onLoop = LoopSplice.of(stream, local, LoopSplice.OWN_LOOPS);
            if (onLoop.isPresent()) {
                // the session's I/O thread moves the bytes: this task ends here
                LoopSplice splice = onLoop.get();
                begin(splice, splice::start, done, started);
                return;
            }
            Splice splice = new Splice(stream, local);
            begin(splice, () -> splice.run(copies), done, started);
        });
        return done;
    }

    /** Shows {@code splice} to {@code started}, then runs it; {@code done} completes when it does. */
    private static void begin(Tunnel splice, Runnable start, CompletableFuture<Void> done,
            java.util.function.Consumer<Tunnel> started) {
        splice.done().whenComplete((none, e) -> done.complete(null));
        started.accept(splice);
        start.run();
    }

    /** The tunnel's side of this splice. */
    public ByteStream stream() {
        return stream;
    }

    /** Completes when both ends are closed. */
    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    /** The bytes copied from the stream to the socket so far. */
    @Override
    public long bytesToTarget() {
        return toSocket;
    }

    /** The bytes copied from the socket to the stream so far. */
    @Override
    public long bytesFromTarget() {
        return fromSocket;
    }

    /** Closes both ends at once, with a reset. Idempotent. */
    @Override
    public void abort() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (socket.isOpen() && socket.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException e) {
            // closing below is what matters
        }
        closeBoth();
    }

    private void closeBoth() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        stream.close();
        done.complete(null);
    }

    private void streamToSocket() {
        byte[] buf = new byte[BUFFER];
        InputStream in = stream.input();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    socket.write(bb);
                }
                toSocket += n;
            }
            socket.shutdownOutput();
            ended();
        } catch (IOException | RuntimeException e) {
            abort();
        }
    }

    private void socketToStream() {
        ByteBuffer bb = ByteBuffer.allocate(BUFFER);
        OutputStream out = stream.output();
        try {
            while (socket.read(bb) >= 0) {
                out.write(bb.array(), 0, bb.position());
                out.flush();
                fromSocket += bb.position();
                bb.clear();
            }
            stream.closeWrite();
            ended();
        } catch (IOException | RuntimeException e) {
            abort();
        }
    }

    /** One direction saw its FIN and passed it on; the last one closes both ends. */
    private void ended() {
        if (running.decrementAndGet() == 0 && closed.compareAndSet(false, true)) {
            closeBoth();
        }
    }
}
