package io.libchan.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Pipe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelSubscriberTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final CallInfo CALL = new CallInfo("work", Optional.of("work"), "test", URI.create("inmem:test"),
            Optional.empty());

    final LibchanExecutors executors = LibchanExecutors.create();
    final List<Object> handled = new CopyOnWriteArrayList<>();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch releaseFirst = new CountDownLatch(1);

    @AfterEach
    void stopExecutors() {
        executors.close();
    }

    /** Handles messages in order; holds the first until the test lets it go. */
    private void handle(Object message, CallInfo call) {
        if (handled.isEmpty() && firstStarted.getCount() > 0) {
            firstStarted.countDown();
            try {
                releaseFirst.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        handled.add(message);
    }

    @Test
    void drainHandlesTheMessageInHandThenEveryQueuedOneWithoutAThreadWaiting() throws Exception {
        Pipe pipe = Pipe.buffered(8);
        for (String job : List.of("first", "second", "third")) {
            pipe.sender().send(job);
        }
        EndpointDispatcher endpoint = new EndpointDispatcher("work", 0, this::handle, executors);
        ChannelSubscriber subscriber = new ChannelSubscriber(pipe.receiver(), endpoint, CALL, () -> { });
        subscriber.start(executors.tasks());
        assertTrue(firstStarted.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        // the subscription is stopped before drain returns; the drain waits for the message in hand
        CompletableFuture<Void> drained = subscriber.drain(System.nanoTime() + TIMEOUT.toNanos(), executors);
        assertFalse(drained.isDone(), "drained while the first message was still in hand");
        releaseFirst.countDown();
        drained.get(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);

        assertEquals(List.of("first", "second", "third"), handled);
        assertTrue(pipe.sender().sendAsync("late").isCompletedExceptionally(), "the channel was closed");
    }

    @Test
    void channelsMessagesAreHandledOneAtATimeInOrderUntilItEnds() throws Exception {
        releaseFirst.countDown();
        Pipe pipe = Pipe.buffered(100);
        for (int i = 0; i < 100; i++) {
            pipe.sender().send(i);
        }
        pipe.sender().close();
        EndpointDispatcher endpoint = new EndpointDispatcher("work", 0, this::handle, executors);
        ChannelSubscriber subscriber = new ChannelSubscriber(pipe.receiver(), endpoint, CALL, () -> { });
        subscriber.start(executors.tasks());
        assertTrue(subscriber.awaitEnd(System.nanoTime() + TIMEOUT.toNanos()));
        assertEquals(100, handled.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, handled.get(i));
        }
    }

}
