package io.libchan.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Neither a slow target nor a slow client makes the gateway buffer without bound: the side that
 * does not read holds the other back (the stream's window towards the client, TCP towards the
 * target), and every byte arrives once it reads again.
 */
@Timeout(120)
class GatewayBackPressureTest {
    private static final int MIB = 1024 * 1024;
    private static final long TOTAL = 64L * MIB;
    /**
     * What may be in flight while one side does not read: the 1 MiB stream window, and the
     * loopback sockets' buffers on the way (a few MiB each, as Linux tunes them).
     */
    private static final long IN_FLIGHT = 24L * MIB;

    private final Closing closing = new Closing();

    @AfterEach
    void tearDown() throws Exception {
        closing.close();
    }

    private ByteStream tunnelTo(URI target) {
        Gateway gateway = Gateway.builder().target("t", target).build();
        closing.add(gateway);
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        closing.add(listener);
        gateway.serve(listener);
        Transport session = Libchan.connect(listener.uri().toString());
        closing.add(session);
        return Gateway.connect(session, "t");
    }

    @Test
    void slowTargetHoldsTheClientsWritesBack() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CompletableFuture<Long> received = new CompletableFuture<>();
        TcpTarget slow = new TcpTarget(s -> {
            try {
                read.await(); // reads nothing until the test says so
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.complete(s.getInputStream().transferTo(OutputStream.nullOutputStream()));
        });
        closing.add(slow);
        closing.add(read::countDown);
        ByteStream tunnel = tunnelTo(slow.uri());
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                OutputStream out = tunnel.output();
                while (written.get() < TOTAL) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
                tunnel.closeWrite();
            } catch (IOException e) {
                // the assertions tell
            }
        }, "slow-target-writer");
        writer.start();

        // the writer parks waiting for the window (or ends, if the gateway took everything)
        await().atMost(Duration.ofSeconds(60)).until(() -> written.get() >= MIB && parked(writer) || !writer.isAlive());
        assertTrue(writer.isAlive(), "the client wrote all " + TOTAL + " bytes to a target that read none");
        assertTrue(written.get() < IN_FLIGHT, written.get() + " bytes written to a target that read none");

        read.countDown();
        assertEquals(TOTAL, received.get(60, TimeUnit.SECONDS));
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(writer.isAlive());
    }

    @Test
    void slowClientHoldsTheTargetBack() throws Exception {
        AtomicLong sent = new AtomicLong();
        ServerSocketChannel server = ServerSocketChannel.open();
        closing.add(server);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread target = new Thread(() -> {
            try (SocketChannel ch = server.accept()) {
                ch.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (sent.get() < TOTAL) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), TOTAL - sent.get()));
                    int n = ch.write(chunk);
                    if (n == 0) {
                        // the socket takes nothing: back off as a peer would (this thread's pace, not the test's)
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                    sent.addAndGet(n);
                }
                ch.shutdownOutput();
            } catch (IOException e) {
                // the assertions tell
            }
        }, "fast-target");
        target.setDaemon(true);
        target.start();
        ByteStream tunnel = tunnelTo(URI.create("tcp://127.0.0.1:" + server.socket().getLocalPort()));

        // the target's socket fills while the client reads nothing: its writes back off
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= MIB && target.getState() == Thread.State.TIMED_WAITING
                || !target.isAlive());
        assertTrue(sent.get() < TOTAL, "the target sent all " + TOTAL + " bytes to a client that read none");
        assertTrue(sent.get() < IN_FLIGHT, sent.get() + " bytes sent to a client that read none");

        InputStream in = tunnel.input();
        assertEquals(TOTAL, in.transferTo(OutputStream.nullOutputStream()));
    }

    private static boolean parked(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
