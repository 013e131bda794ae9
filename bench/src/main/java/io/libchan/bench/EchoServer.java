package io.libchan.bench;

import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The "server" of the in-memory round-trip benchmarks: it takes {@link Request}s from a request
 * {@link Pipe}, replies on each request's nested {@code ret} channel and closes it.
 *
 * <p>The reply is sent with {@link Sender#sendAsync}: a server never waits for a client to take
 * its reply (the push server runs inside the client's {@code send} on a direct executor, where a
 * blocking send would wait for a receive that cannot start). Every mode replies the same way, so
 * the modes differ only in how the server receives.
 */
final class EchoServer implements AutoCloseable {
    /** How the server receives its requests. */
    enum Mode {
        /** A blocking {@code receive} loop on a platform thread. */
        PLATFORM,
        /** A blocking {@code receive} loop on a virtual thread (Java 21+). */
        VIRTUAL,
        /** {@code subscribe(...)} with a direct executor ({@code Runnable::run}): no server thread at all. */
        PUSH_DIRECT,
        /** {@code subscribe(...)} with a fixed pool of one platform thread per CPU. */
        PUSH_POOL
    }

    private final Pipe requests = Pipe.create();
    private final Thread loop;
    private final AutoCloseable subscription;
    private final ExecutorService pool;

    EchoServer(Mode mode) {
        Receiver in = requests.receiver();
        switch (mode) {
            case PLATFORM:
                loop = new Thread(() -> serve(in), "echo-server-platform");
                loop.setDaemon(true);
                loop.start();
                subscription = null;
                pool = null;
                break;
            case VIRTUAL:
                loop = VirtualThreads.start("echo-server-virtual", () -> serve(in));
                subscription = null;
                pool = null;
                break;
            case PUSH_DIRECT:
                loop = null;
                pool = null;
                subscription = in.subscribe(Request.class, Runnable::run, EchoServer::reply);
                break;
            case PUSH_POOL:
                loop = null;
                pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
                    Thread t = new Thread(r, "echo-server-pool");
                    t.setDaemon(true);
                    return t;
                });
                subscription = in.subscribe(Request.class, (Executor) pool, EchoServer::reply);
                break;
            default:
                throw new IllegalArgumentException(mode.toString());
        }
    }

    /** Where clients send their requests. */
    Sender requests() {
        return requests.sender();
    }

    private static void serve(Receiver in) {
        try {
            while (true) {
                reply(in.receive(Request.class));
            }
        } catch (EndOfChannelException | ChannelClosedException e) {
            // closed by the benchmark's tear-down
        }
    }

    private static void reply(Request request) {
        Sender ret = request.ret();
        ret.sendAsync(new Reply(request.cmd()));
        ret.close();
    }

    // ------------------------------------------------------------------ clients

    /** One blocking round trip: a fresh unbuffered reply pipe, send, receive the reply. */
    static Reply call(Sender requests) {
        Pipe reply = Pipe.create();
        requests.send(new Request(Payloads.TEXT, reply.sender()));
        return reply.receiver().receive(Reply.class);
    }

    /**
     * {@link Payloads#IN_FLIGHT} round trips outstanding at once from one thread: for each, a
     * fresh reply pipe, {@code receiveAsync} on it and {@code sendAsync} of the request; then wait
     * for every reply. The same shape as rsocket's {@code flatMap(..., 64)}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Reply callMany(Sender requests) {
        CompletableFuture<Reply>[] replies = new CompletableFuture[Payloads.IN_FLIGHT];
        for (int i = 0; i < replies.length; i++) {
            Pipe reply = Pipe.create();
            replies[i] = reply.receiver().receiveAsync(Reply.class);
            requests.sendAsync(new Request(Payloads.TEXT, reply.sender()));
        }
        Reply last = null;
        for (CompletableFuture<Reply> f : replies) {
            last = f.join();
        }
        return last;
    }

    @Override
    public void close() {
        requests.sender().close(); // the loop ends with EndOfChannelException
        try {
            if (subscription != null) {
                subscription.close();
            }
            if (loop != null) {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            }
            if (pool != null) {
                pool.shutdown();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the echo server failed", e);
        }
    }
}
