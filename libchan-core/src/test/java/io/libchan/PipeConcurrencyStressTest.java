package io.libchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many senders and receivers of every kind (blocking, timed, async, push) on one pipe: every
 * message is received exactly once and nobody hangs. The seed's earlier port lost wake-ups here.
 */
class PipeConcurrencyStressTest {
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 5_000;
    private static final int ROUNDS = 15;

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16})
    void everyMessageIsReceivedExactlyOnceAndNobodyHangs(int capacity) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                runRound(capacity, pool);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void runRound(int capacity, ExecutorService pool) throws Exception {
        Pipe pipe = Pipe.buffered(capacity);
        int total = SENDERS * PER_SENDER;
        BitSet seen = new BitSet(total);
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        CountDownLatch allReceived = new CountDownLatch(total);
        Runnable record = () -> { };
        List<CompletableFuture<?>> tasks = new ArrayList<>();

        java.util.function.IntConsumer onMessage = id -> {
            synchronized (seen) {
                if (seen.get(id)) {
                    duplicates.incrementAndGet();
                }
                seen.set(id);
            }
            received.incrementAndGet();
            allReceived.countDown();
        };

        // blocking receivers, some with short timeouts that expire and retry
        for (int r = 0; r < 3; r++) {
            boolean timed = r == 0;
            tasks.add(CompletableFuture.runAsync(() -> {
                while (true) {
                    try {
                        Integer id = timed
                                ? pipe.receiver().receive(Integer.class, Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 200_000)))
                                : pipe.receiver().receive(Integer.class);
                        onMessage.accept(id);
                    } catch (ChannelTimeoutException e) {
                        // withdrawn: nothing was taken; try again
                    } catch (EndOfChannelException e) {
                        return;
                    }
                }
            }, pool));
        }
        // an async receiver that sometimes cancels its request
        tasks.add(CompletableFuture.runAsync(() -> {
            while (true) {
                CompletableFuture<Integer> f = pipe.receiver().receiveAsync(Integer.class);
                if (ThreadLocalRandom.current().nextInt(4) == 0 && f.cancel(false)) {
                    continue;
                }
                try {
                    onMessage.accept(f.join());
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof EndOfChannelException) {
                        return;
                    }
                    throw e;
                }
            }
        }, pool));
        // a push subscriber requesting in small batches
        CompletableFuture<Void> pushDone = new CompletableFuture<>();
        pipe.receiver().publisher(Integer.class, pool).subscribe(new Flow.Subscriber<Integer>() {
            Flow.Subscription s;
            int outstanding;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                s = subscription;
                outstanding = 3;
                s.request(3);
            }

            @Override
            public void onNext(Integer item) {
                onMessage.accept(item);
                if (--outstanding == 0) {
                    outstanding = 3;
                    s.request(3);
                }
            }

            @Override
            public void onError(Throwable t) {
                pushDone.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                pushDone.complete(null);
            }
        });
        tasks.add(pushDone);

        // senders: blocking, timed (retrying on timeout) and async
        List<CompletableFuture<?>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int base = s * PER_SENDER;
            int kind = s % 3;
            senders.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    int id = base + i;
                    if (kind == 0) {
                        pipe.sender().send(id);
                    } else if (kind == 1) {
                        while (true) {
                            try {
                                pipe.sender().send(id, Duration.ofNanos(ThreadLocalRandom.current().nextInt(1, 100_000)));
                                break;
                            } catch (ChannelTimeoutException e) {
                                // withdrawn: it will not be delivered; send it again
                            }
                        }
                    } else {
                        pipe.sender().sendAsync(id).join();
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(senders.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        if (!allReceived.await(60, TimeUnit.SECONDS)) {
            fail("lost messages: received " + received.get() + " of " + total);
        }
        pipe.sender().close();
        CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        assertEquals(0, duplicates.get(), "duplicated messages");
        assertEquals(total, received.get());
        assertTrue(seen.cardinality() == total);
        record.run();
    }
}
