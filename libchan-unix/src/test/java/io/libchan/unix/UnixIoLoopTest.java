package io.libchan.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Settings;
import io.libchan.internal.nio.IoLoop;
import io.libchan.internal.nio.IoLoopGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The I/O loops that read unix sockets (junixsocket's selector) block when idle and never hold the
 * selector's lock while a handler runs. Each test leases loops of a group of its own, so a loop lost
 * here is no other test's.
 */
class UnixIoLoopTest {
    private static IoLoop lease(String prefix) {
        return IoLoopGroup.lease(IoLoopGroup.Kind.of(Settings.defaults(), AFUNIXSelectorProvider.provider(), prefix));
    }

    @Test
    void anIdleLoopBlocksInsteadOfSpinning() throws Exception {
        IoLoop loop = lease("test-idle-unix-io-");
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            // one registered channel with nothing to read, as an idle session has
            AFUNIXSocketChannel idle = pair.getSocket1();
            idle.configureBlocking(false);
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    loop.register(idle, SelectionKey.OP_READ, new Handler(() -> { }));
                    registered.complete(null);
                } catch (Exception e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(30, TimeUnit.SECONDS);
            // the loop has gone back to select once it ran a second task after the registration
            CompletableFuture<Void> settled = new CompletableFuture<>();
            loop.execute(() -> settled.complete(null));
            settled.get(30, TimeUnit.SECONDS);
            long before = loop.selects();
            // while this thread spends 200 ms of its own CPU time, a spinning loop selects thousands of times
            burnOwnCpu(TimeUnit.MILLISECONDS.toNanos(200));
            long selects = loop.selects() - before;
            assertTrue(selects <= 2, "an idle loop selected " + selects + " times meanwhile");
        } finally {
            loop.release();
        }
    }

    @Test
    void closingAChannelWhileHoldingALockItsHandlerWaitsForDoesNotDeadlockTheLoop() throws Exception {
        IoLoop loop = lease("test-close-unix-io-");
        Object lock = new Object();
        CountDownLatch handlerEntered = new CountDownLatch(1);
        AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
        AFUNIXSocketChannel watched = pair.getSocket1();
        AFUNIXSocketChannel peer = pair.getSocket2();
        try {
            watched.configureBlocking(false);
            CompletableFuture<Void> registered = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    loop.register(watched, SelectionKey.OP_READ, new Handler(() -> {
                        handlerEntered.countDown();
                        synchronized (lock) {
                            // what a handler needs that the closing thread holds (a channel's close lock, say)
                        }
                    }));
                    registered.complete(null);
                } catch (Exception e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(30, TimeUnit.SECONDS);
            // on a thread of its own, so that a deadlock fails the test instead of hanging it
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
                synchronized (lock) {
                    try {
                        peer.write(ByteBuffer.wrap(new byte[] {1}));
                        assertTrue(handlerEntered.await(30, TimeUnit.SECONDS), "the handler ran");
                        watched.close(); // cancels the key: needs the selector's monitor under junixsocket
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, UnixIoLoopTest::daemon);
            closed.get(30, TimeUnit.SECONDS);
            // and the loop goes on serving
            CompletableFuture<String> alive = new CompletableFuture<>();
            loop.execute(() -> alive.complete("alive"));
            assertEquals("alive", alive.get(30, TimeUnit.SECONDS));
        } finally {
            // off this thread: after a deadlock, closing the channel would block here too
            daemon(() -> {
                try {
                    peer.close();
                    watched.close();
                } catch (Exception e) {
                    // the test has its verdict
                }
                loop.release();
            });
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "unix-io-loop-test");
        t.setDaemon(true);
        t.start();
    }

    private static void burnOwnCpu(long nanos) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        while (threads.getCurrentThreadCpuTime() - start < nanos) {
            sha.update(block);
        }
    }

    /** Runs {@code onReady} and reads what there is (a closed peer ends it). */
    private record Handler(Runnable onReady) implements IoLoop.Handler {
        @Override
        public void ready(int readyOps) {
            onReady.run();
        }

        @Override
        public void failed(Throwable error) {
            // the test looks at the loop, not at this channel
        }
    }
}
