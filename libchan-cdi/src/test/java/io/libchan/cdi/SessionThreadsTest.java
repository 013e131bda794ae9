package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server's sessions and channels are served by push on the module's bounded pool
 * ({@code libchan.threads}): however many sessions are open, the module runs no more threads than
 * that pool and its timer, and shutting down waits for calls in progress without a thread per
 * session. (Over {@code tcp://} the core still runs a reader thread per connection,
 * named {@code libchan-N}: issue 14 item 1, left out of the count.)
 */
class SessionThreadsTest {
    static final int SESSIONS = 500;
    static final int CHANNELS = 2;
    static final int THREADS = 3;
    /** The core's own threads (readers, pumps, its timer), and the JVM's common pool, bounded by the cores. */
    private static final Pattern CORE_THREAD = Pattern.compile("libchan-(\\d+|timer)|ForkJoinPool\\.commonPool-worker-\\d+");

    private final List<Transport> clients = new ArrayList<>();
    private TestContainer server;

    @ApplicationScoped
    static class Echo {
        @ChannelEndpoint("echo")
        Map<String, Object> echo(Map<String, Object> message) {
            return Map.of("n", message.get("n"));
        }
    }

    @Singleton
    static class Hold {
        final CountDownLatch release = new CountDownLatch(1);
        final Semaphore entered = new Semaphore(0);

        @ChannelEndpoint("hold")
        String hold() throws InterruptedException {
            entered.release();
            release.await(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            return "held";
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(Transport::abort);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fiveHundredOpenSessionsRunOnThePoolsThreads() throws Exception {
        long before = nonCoreThreads();
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "echo",
                "libchan.threads", Integer.toString(THREADS)), Echo.class);
        URI uri = server.select(ChannelServers.class).uri("api");

        List<CompletableFuture<Map>> replies = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            Transport client = Libchan.connect(uri, Settings.defaults());
            clients.add(client);
            for (int c = 0; c < CHANNELS; c++) {
                Pipe ret = Pipe.create();
                long n = (long) s * CHANNELS + c;
                client.newSendChannel().send(Map.of("n", n, "ret", ret.sender()));
                replies.add(ret.receiver().receiveAsync(Map.class).thenApply(reply -> {
                    assertEquals(Map.of("n", n), reply);
                    return reply;
                }));
            }
        }
        CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);

        // every session is open, each with a channel the peer may open next: none holds a thread
        assertTrue(clients.stream().allMatch(Transport::isOpen));
        long added = nonCoreThreads() - before;
        // the pool, the back-off timer, and a few the JVM may start meanwhile
        assertTrue(added <= THREADS + 1 + 4, "threads added with " + SESSIONS + " sessions open: " + added
                + " " + threadNames());

    }

    @Test
    void shutdownWithACallInProgressOnEverySessionStartsNoThreadPerSession() throws Exception {
        int sessions = 100;
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true",
                "libchan.server.api.endpoints", "hold",
                "libchan.threads", Integer.toString(sessions + 2)), Hold.class);
        Hold hold = server.select(Hold.class);
        URI uri = server.select(ChannelServers.class).uri("api");
        List<CompletableFuture<String>> replies = send(sessions, uri);
        // every session has a call in progress, which its drain must wait for
        assertTrue(hold.entered.tryAcquire(sessions, Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        int live = threads.getThreadCount();
        Thread closer = closeInBackground();
        // once the closer waits for the drains, every session's drain has begun and waits for its call
        Await.until("the shutdown to wait for the drains", () -> Arrays.stream(closer.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("awaitAll")));
        int startedByShutdown = threads.getPeakThreadCount() - live;

        hold.release.countDown();
        closer.join(Await.TIMEOUT.toMillis());
        assertTrue(startedByShutdown <= 1 + 4, "threads started by the shutdown of " + sessions
                + " busy sessions (the closer included): " + startedByShutdown);
        for (CompletableFuture<String> reply : replies) {
            assertEquals("held", reply.get(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    @Test
    void messagesWaitingForAThreadAtShutdownAreStillHandled() throws Exception {
        int sessions = 20;
        server = TestContainer.start(Map.of(
                "libchan.server.api.listen", "inmem:threads-drain",
                "libchan.threads", Integer.toString(THREADS)), Hold.class);
        Hold hold = server.select(Hold.class);
        // in memory the channel and its message are with the server when sendAsync returns; their
        // routing and delivery then wait behind the THREADS blocked calls
        List<CompletableFuture<String>> replies = send(sessions, URI.create("inmem:threads-drain"));
        assertTrue(hold.entered.tryAcquire(THREADS, Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        Thread closer = closeInBackground();
        Await.until("the shutdown to wait for the drains", () -> Arrays.stream(closer.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("awaitAll")));
        hold.release.countDown();
        closer.join(Await.TIMEOUT.toMillis());
        for (CompletableFuture<String> reply : replies) {
            assertEquals("held", reply.get(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** One message to {@code hold} on a session of its own each; the replies. */
    private List<CompletableFuture<String>> send(int sessions, URI uri) {
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            Transport client = Libchan.connect(uri, Settings.defaults());
            clients.add(client);
            Pipe ret = Pipe.create();
            client.newSendChannel().sendAsync(Map.of("ret", ret.sender()));
            replies.add(ret.receiver().receiveAsync(String.class));
        }
        return replies;
    }

    private Thread closeInBackground() {
        TestContainer closing = server;
        server = null;
        Thread closer = new Thread(closing::close, "test-closer");
        closer.start();
        return closer;
    }

    private static long nonCoreThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !CORE_THREAD.matcher(t.getName()).matches())
                .count();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> !CORE_THREAD.matcher(n).matches()).sorted().toList();
    }
}
