package io.libchan.example.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.BytePipe;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Transport;
import io.libchan.example.ExampleServer;
import io.libchan.example.ExampleThreads;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo endpoint holds no thread while a message waits for its nested Receivers, and echoes
 * byte streams on a bounded pool, streams over its size waiting their turn.
 */
@Timeout(60)
class EchoEndpointThreadsTest {
    private ExampleServer server;
    private Transport session;

    @AfterEach
    void stop() {
        if (session != null) {
            session.abort();
        }
        server.close();
    }

    @Test
    void messagesWaitingForTheirNestedReceiversHoldNoThread() throws Exception {
        server = ExampleServer.start(Map.of("libchan.threads", "2"));
        session = Libchan.connect(server.uri());
        int messages = 20;
        List<Pipe> ups = new ArrayList<>();
        List<CompletableFuture<Map>> greetings = new ArrayList<>();
        List<CompletableFuture<Map>> replies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            Pipe up = Pipe.create();
            Pipe hello = Pipe.create();
            Pipe ret = Pipe.create();
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("up", up.receiver()); // first: an echo that reads it before the rest never greets
            message.put("hello", hello.sender());
            message.put("ret", ret.sender());
            session.newSendChannel().send(message, EchoClientChecks.WAIT);
            ups.add(up);
            greetings.add(hello.receiver().receiveAsync(Map.class));
            replies.add(ret.receiver().receiveAsync(Map.class));
        }
        // every message was taken by the endpoint, on a pool of two threads, and waits for its Receiver;
        // a thread that sent the last greeting may still be on its way out of the echo: wait for it
        allOf(greetings);
        assertEquals(0, settledThreadsIn("io.libchan.example.echo."), "threads in the echo with " + messages + " Receivers open");

        for (int i = 0; i < messages; i++) {
            ups.get(i).sender().send(Map.of("n", i), EchoClientChecks.WAIT);
            ups.get(i).sender().close();
        }
        allOf(replies);
        for (int i = 0; i < messages; i++) {
            assertEquals(List.of(Map.of("n", (long) i)), replies.get(i).get().get("up"));
        }
    }

    @Test
    void byteStreamsOverThePoolsSizeWaitTheirTurn() throws Exception {
        server = ExampleServer.start();
        session = Libchan.connect(server.uri());
        int streams = 2 * ExampleThreads.STREAM_THREADS;
        List<BytePipe> pipes = new ArrayList<>();
        List<CompletableFuture<Map>> replies = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            BytePipe bytes = BytePipe.create();
            Pipe ret = Pipe.create();
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("seq", i);
            message.put("bytes", bytes.remote());
            message.put("ret", ret.sender());
            session.newSendChannel().send(message, EchoClientChecks.WAIT);
            pipes.add(bytes);
            replies.add(ret.receiver().receiveAsync(Map.class));
        }
        // the replies do not wait for the streams; the echoes that started hold a thread each
        allOf(replies);
        long copying = threadsInMethod("echoBytes");
        assertTrue(copying <= ExampleThreads.STREAM_THREADS, copying + " threads copy " + streams + " open streams");

        // each stream that ends frees its thread for one still waiting (in the order the endpoint
        // took them, which is not ours: the channels are served concurrently), so end all, then read
        for (int i = 0; i < streams; i++) {
            try (OutputStream out = pipes.get(i).local().output()) {
                out.write(("stream " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < streams; i++) {
            assertEquals("stream " + i, new String(pipes.get(i).local().input().readAllBytes(), StandardCharsets.UTF_8));
            pipes.get(i).local().close();
        }
    }

    @SuppressWarnings("rawtypes")
    private static void allOf(List<CompletableFuture<Map>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                .get(EchoClientChecks.WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Threads with a frame of a class in {@code packagePrefix}, other than this test's. */
    /** The threads in {@code packagePrefix}, waiting up to 5 s for threads on their way out (one parked there stays). */
    private static long settledThreadsIn(String packagePrefix) throws InterruptedException {
        try {
            // threads leaving code have no event to wait on: wait for the condition
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> threadsIn(packagePrefix) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // some stay: the caller looks at how many
        }
        return threadsIn(packagePrefix);
    }

    private static long threadsIn(String packagePrefix) {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith(packagePrefix)
                        && !f.getClassName().startsWith(EchoEndpointThreadsTest.class.getName())))
                .count();
    }

    private static long threadsInMethod(String method) {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(EchoEndpoint.class.getName())
                        && f.getMethodName().equals(method)))
                .count();
    }
}
