package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.ChannelInterruptedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over TCP between two Java peers, a platform thread waiting for a message reads the connection
 * itself while no other thread does (one thread wake-up less per request/reply). What a user must
 * not notice: an interrupt or a timeout of that wait leaves the connection working, a lost
 * connection fails the wait at once, and messages for other channels keep arriving before, during
 * and after such a wait.
 */
@Timeout(60)
class TcpWaitingReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Requests the server holds: it replies when the test completes the future. */
    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    private Listener listener;
    private Transport client;
    private Transport server;
    private Sender calls;

    private record Held(Sender ret, CompletableFuture<Void> release) {
    }

    @BeforeEach
    void connect() {
        listener = Libchan.listen("tcp://127.0.0.1:0");
        client = Libchan.connect(listener.uri().toString());
        server = listener.accept(WAIT);
        threads.execute(this::serve);
        calls = client.newSendChannel();
    }

    @AfterEach
    void close() {
        client.close();
        server.abort();
        listener.close();
        threads.shutdownNow();
    }

    /**
     * Each top-level channel: {hold: true} waits for the test, {push: n, to: Sender} sends n
     * messages, {bytes: ByteStream} echoes the stream; else echo.
     */
    private void serve() {
        EachChannelServer.serve(server, threads, request -> {
            Map<?, ?> m = (Map<?, ?>) request;
            if (m.containsKey("bytes")) {
                ByteStream stream = (ByteStream) m.get("bytes");
                threads.execute(() -> {
                    try (stream) {
                        stream.input().transferTo(stream.output());
                    } catch (Exception e) {
                        // the test failed or ended
                    }
                });
                return;
            }
            if (m.containsKey("push")) {
                Sender to = (Sender) m.get("to");
                for (int i = 0; i < ((Number) m.get("push")).intValue(); i++) {
                    to.send(Map.of("i", i));
                }
                return;
            }
            Sender ret = Messages.replyChannel(request).orElseThrow();
            if (Boolean.TRUE.equals(m.get("hold"))) {
                Held h = new Held(ret, new CompletableFuture<>());
                held.add(h);
                h.release().get();
            }
            ret.send(Map.of("n", m.get("n")));
            ret.close();
        });
    }

    private int call(int n) {
        return call(calls, n);
    }

    private static int call(Sender on, int n) {
        Pipe ret = Pipe.create();
        on.send(Map.of("n", n, "ret", ret.sender()));
        return number(ret.receiver().receive(Map.class, WAIT), "n");
    }

    private static int number(Object message, String field) {
        return ((Number) ((Map<?, ?>) message).get(field)).intValue();
    }

    /**
     * Starts a call the server holds on {@code caller} and returns once the caller waits reading
     * the connection itself, or null if it waited parked (the connection's reader was reading):
     * the call is then released and answered.
     */
    private Held holdUntilTheCallerReads(Thread[] caller, CompletableFuture<Object> outcome) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            call(attempt); // the reader hands a reply to a waiting caller: that caller may read the next one
            Pipe ret = Pipe.create();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Object> result = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    calls.send(Map.of("n", -1, "hold", true, "ret", ret.sender()));
                    result.complete(ret.receiver().receive(Map.class, WAIT));
                } catch (RuntimeException e) {
                    result.complete(e);
                }
            });
            t.start();
            started.await();
            Held h = held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            boolean reads;
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(200))
                        .pollInterval(java.time.Duration.ofMillis(1)).until(() -> readsTheConnection(t));
                reads = true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                reads = false;
            }
            if (reads) {
                caller[0] = t;
                result.whenComplete((r, e) -> outcome.complete(r));
                return h;
            }
            h.release().complete(null);
            assertEquals(-1, number(result.get(WAIT.toSeconds(), TimeUnit.SECONDS), "n"));
        }
        return null;
    }

    private static boolean readsTheConnection(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith("ReadRole")
                && f.getMethodName().equals("readWhile"));
    }

    @Test
    void interruptingACallerThatReadsTheConnectionLeavesTheConnectionWorking() throws Exception {
        Thread[] caller = new Thread[1];
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Held h = holdUntilTheCallerReads(caller, outcome);
        assertTrue(h != null, "a waiting caller never read the connection itself");
        caller[0].interrupt();
        assertTrue(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS) instanceof ChannelInterruptedException,
                "the interrupted receive fails as an interrupt");
        h.release().complete(null);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, call(i), "the connection still carries calls after the interrupt");
        }
    }

    @Test
    void aCallerThatReadsTheConnectionTimesOutAndTheNextCallsAreAnswered() throws Exception {
        call(0);
        Pipe ret = Pipe.create();
        calls.send(Map.of("n", -1, "hold", true, "ret", ret.sender()));
        Held h = held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThrows(ChannelTimeoutException.class, () -> ret.receiver().receive(Map.class, Duration.ofMillis(100)));
        h.release().complete(null);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, call(i));
        }
    }

    @Test
    void aLostConnectionFailsACallerThatReadsItAtOnce() throws Exception {
        Thread[] caller = new Thread[1];
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        assertTrue(holdUntilTheCallerReads(caller, outcome) != null, "a waiting caller never read the connection itself");
        server.abort();
        // connection-lost, not the receive's own timeout: the wait ended with the connection
        assertTrue(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS) instanceof ConnectionLostException);
    }

    @Test
    void messagesForOtherChannelsArriveWhileACallerWaitsAndAfterItLeft() throws Exception {
        Pipe events = Pipe.create();
        BlockingQueue<Object> pushed = new LinkedBlockingQueue<>();
        events.receiver().subscribe(Map.class, Runnable::run, pushed::add);
        Sender control = client.newSendChannel();
        for (int round = 0; round < 200; round++) {
            assertEquals(round, call(round)); // the caller reads its reply itself, then leaves the connection unread
            control.send(Map.of("push", 3, "to", events.sender()));
            for (int i = 0; i < 3; i++) {
                // nobody waits for a message now: the connection's own reader must take reading back
                assertEquals(i, number(pushed.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "i"), "round " + round);
            }
        }
        // and while a caller waits on a held call, reading the connection, pushes still arrive
        Thread[] caller = new Thread[1];
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Held h = holdUntilTheCallerReads(caller, outcome);
        assertTrue(h != null, "a waiting caller never read the connection itself");
        control.send(Map.of("push", 50, "to", events.sender()));
        for (int i = 0; i < 50; i++) {
            assertEquals(i, number(pushed.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "i"));
        }
        assertTrue(caller[0].isAlive() && !outcome.isDone(), "the caller still waits for its own reply");
        h.release().complete(null);
        assertEquals(-1, number(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS), "n"));
    }

    /**
     * A direct-executor callback runs on the thread that delivers: the connection's reader, never
     * an application thread that reads for its own receive (in a container that thread carries its
     * request's security and CDI context, which must not leak into another channel's callback).
     */
    @Test
    void callbacksOfOtherReceivesNeverRunOnACallerThatReadsTheConnection() throws Exception {
        Pipe events = Pipe.create();
        BlockingQueue<Thread> subscriberThreads = new LinkedBlockingQueue<>();
        events.receiver().subscribe(Map.class, Runnable::run, m -> subscriberThreads.add(Thread.currentThread()));
        Pipe single = Pipe.create();
        CompletableFuture<Thread> futureThread = new CompletableFuture<>();
        Sender control = client.newSendChannel();
        Thread[] caller = new Thread[1];
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Held h = holdUntilTheCallerReads(caller, outcome);
        assertTrue(h != null, "a waiting caller never read the connection itself");
        single.receiver().receiveAsync(Map.class).thenRun(() -> futureThread.complete(Thread.currentThread()));
        control.send(Map.of("push", 1, "to", single.sender()));
        control.send(Map.of("push", 20, "to", events.sender()));
        Thread completedOn = futureThread.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(completedOn != caller[0], "a receiveAsync stage ran on the caller that reads the connection");
        for (int i = 0; i < 20; i++) {
            Thread t = subscriberThreads.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(t != null, "message " + i + " never arrived");
            assertTrue(t != caller[0], "a subscriber callback ran on the caller that reads the connection");
        }
        assertTrue(readsTheConnection(caller[0]) && !outcome.isDone(), "the caller still reads, waiting for its own reply");
        h.release().complete(null);
        assertEquals(-1, number(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS), "n"));
    }

    /**
     * Every way of waiting at once on one connection: blocking callers (which may read it), a
     * caller whose receives time out at random moments (it leaves the connection mid-read), async
     * receives, a subscription fed by pushes and a byte-stream echo. Nothing is lost, nothing
     * stalls, and the connection still answers afterwards.
     */
    @Test
    void blockingTimedOutAsyncPushedAndStreamedTrafficMixWithoutLossOrStall() throws Exception {
        Pipe events = Pipe.create();
        AtomicInteger pushed = new AtomicInteger();
        CountDownLatch allPushed = new CountDownLatch(500);
        events.receiver().subscribe(Map.class, Runnable::run, m -> {
            pushed.incrementAndGet();
            allPushed.countDown();
        });
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Sender own = client.newSendChannel();
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 300; i++) {
                    assertEquals(i, call(own, i));
                }
            }, threads));
        }
        AtomicInteger answeredInTime = new AtomicInteger();
        Sender timed = client.newSendChannel();
        all.add(CompletableFuture.runAsync(() -> {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 300; i++) {
                Pipe ret = Pipe.create();
                timed.send(Map.of("n", i, "ret", ret.sender()));
                try {
                    assertEquals(i, number(ret.receiver().receive(Map.class, Duration.ofNanos(random.nextInt(300_000))), "n"));
                    answeredInTime.incrementAndGet();
                } catch (ChannelTimeoutException e) {
                    ret.receiver().close();
                }
            }
        }, threads));
        Sender async = client.newSendChannel();
        all.add(CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 300; i++) {
                Pipe ret = Pipe.create();
                CompletableFuture<Map> reply = ret.receiver().receiveAsync(Map.class);
                async.send(Map.of("n", i, "ret", ret.sender()));
                assertEquals(i, number(reply.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join(), "n"));
            }
        }, threads));
        Sender pushes = client.newSendChannel();
        all.add(CompletableFuture.runAsync(() -> {
            for (int round = 0; round < 10; round++) {
                pushes.send(Map.of("push", 50, "to", events.sender()));
            }
        }, threads));
        BytePipe bytes = BytePipe.create();
        client.newSendChannel().send(Map.of("bytes", bytes.remote()));
        byte[] sent = new byte[2 << 20];
        new java.util.Random(7).nextBytes(sent);
        all.add(CompletableFuture.runAsync(() -> {
            byte[] scratch = new byte[40_000]; // reused for every write, as a copy loop does
            try (OutputStream out = bytes.local().output()) {
                for (int at = 0, chunk = 1; at < sent.length; at += chunk, chunk = chunk * 7 % 40_000 + 1) {
                    int len = Math.min(chunk, sent.length - at);
                    System.arraycopy(sent, at, scratch, 0, len);
                    out.write(scratch, 0, len);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads));
        all.add(CompletableFuture.runAsync(() -> {
            try {
                byte[] echoed = bytes.local().input().readAllBytes();
                assertTrue(Arrays.equals(sent, echoed), "the byte stream came back changed: " + echoed.length + " bytes");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, threads));
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(50, TimeUnit.SECONDS);
        allPushed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(500, pushed.get(), "pushed messages lost");
        assertEquals(7, call(7));
        assertTrue(answeredInTime.get() > 0, "no timed receive was ever answered in time: the test did not exercise it");
    }

    @Test
    void manyBlockingCallersShareTheConnectionWithoutStalls() throws Exception {
        int callers = 8;
        CompletableFuture<?>[] done = new CompletableFuture<?>[callers];
        for (int c = 0; c < callers; c++) {
            Sender own = client.newSendChannel();
            done[c] = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 500; i++) {
                    assertEquals(i, call(own, i));
                }
            }, threads);
        }
        CompletableFuture.allOf(done).get(50, TimeUnit.SECONDS);
    }
}
