package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ChannelClosedException;
import io.libchan.ChannelTimeoutException;
import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** At shutdown, messages already sent are handled before the container is gone. */
class ShutdownDrainTest {

    /** Handles "first" only when the test allows it, so later messages are still queued at shutdown. */
    @Singleton
    static class Worker {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
        final List<String> handled = new CopyOnWriteArrayList<>();

        @ChannelEndpoint(value = "work", maxConcurrency = 1)
        void work(String job) throws InterruptedException {
            if (job.equals("first")) {
                firstStarted.countDown();
                releaseFirst.await(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            }
            handled.add(job);
        }
    }

    @Test
    void messagesQueuedOnAServedChannelAreHandledBeforeShutdownCompletes() throws Exception {
        TestContainer server = TestContainer.start(Map.of("libchan.server.api.listen", "inmem:drain-api"), Worker.class);
        Worker worker = server.select(Worker.class);
        Transport client = Libchan.connect("inmem:drain-api");
        Sender work = client.newSendChannel("work");
        for (String job : List.of("first", "second", "third")) {
            work.send(job);
        }
        assertTrue(worker.firstStarted.await(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::close);
        Await.until("the server to stop listening", () -> {
            try {
                Libchan.connect("inmem:drain-api").close();
                return false;
            } catch (ConnectionLostException e) {
                return true;
            }
        });
        worker.releaseFirst.countDown();
        shutdown.get(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);

        assertEquals(List.of("first", "second", "third"), worker.handled);
        assertFalse(client.isOpen(), "the session was closed");
    }

    @Test
    void messagesSentOnAnInAppChannelAreHandledBeforeShutdownCompletes() throws Exception {
        TestContainer app = TestContainer.start(Map.of(
                "libchan.channel.work.uri", "inmem:work",
                "libchan.channel.work.buffer", "8"), Worker.class);
        Worker worker = app.select(Worker.class);
        Sender work = app.select(Sender.class, Channel.Literal.of("work"));
        for (String job : List.of("first", "second", "third")) {
            work.send(job);
        }
        assertTrue(worker.firstStarted.await(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(app::close);
        Await.until("the channel to refuse new messages", () -> {
            try {
                work.send("late", Duration.ZERO);
                return false;
            } catch (ChannelClosedException e) {
                return true;
            } catch (ChannelTimeoutException e) {
                return false;
            }
        });
        worker.releaseFirst.countDown();
        shutdown.get(Await.TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);

        assertEquals(List.of("first", "second", "third"), worker.handled.subList(0, 3));
    }
}
