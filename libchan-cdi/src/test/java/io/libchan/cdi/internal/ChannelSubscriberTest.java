package io.libchan.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Pipe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    void drainHandlesTheMessageInHandThenEveryQueuedOneOnTheDrainingThread() throws Exception {
        Pipe pipe = Pipe.buffered(8);
        for (String job : List.of("first", "second", "third")) {
            pipe.sender().send(job);
        }
        EndpointDispatcher endpoint = new EndpointDispatcher("work", 0, this::handle, executors);
        ChannelSubscriber subscriber = new ChannelSubscriber(pipe.receiver(), endpoint, CALL, () -> { });
        subscriber.start(executors.tasks());
        assertTrue(firstStarted.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS));

        Thread drainer = new Thread(() -> {
            try {
                subscriber.drain(System.nanoTime() + TIMEOUT.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        drainer.start();
        // the drainer waits (timed) for the message in hand only after it stopped the subscription
        awaitState(drainer, Thread.State.TIMED_WAITING);
        releaseFirst.countDown();
        drainer.join(TIMEOUT.toMillis());

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

    private static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (thread.getState() != state) {
            if (System.nanoTime() - deadline > 0) {
                fail("thread never reached " + state);
            }
            Thread.onSpinWait();
        }
    }
}
