package io.libchan.example.echo;

import io.libchan.ChannelTimeoutException;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every message of a nested Receiver, collected by subscription (no thread waits on it) into a list
 * that completes at the channel's end. A channel that carries more than {@link #MAX_ITEMS} messages,
 * or stays silent for {@link #IDLE_LIMIT}, is closed and the list fails; so does a channel that
 * fails. Thread-safe: the subscription's calls never overlap, and {@code idle} is only replaced by
 * them.
 */
final class NestedList implements MessageListener<Object> {
    /** Most messages read from one nested channel for one reply. */
    static final int MAX_ITEMS = 10_000;
    /** Longest silence on a nested channel before the echo gives up on it. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(30);

    private final Receiver receiver;
    private final ScheduledExecutorService timer;
    private final List<Object> items = new ArrayList<>();
    private final CompletableFuture<List<Object>> done = new CompletableFuture<>();
    private volatile Future<?> idle;

    private NestedList(Receiver receiver, ScheduledExecutorService timer) {
        this.receiver = receiver;
        this.timer = timer;
    }

    /** Starts collecting {@code receiver}'s messages, delivered on {@code executor}. */
    static CompletableFuture<List<Object>> of(Receiver receiver, Executor executor, ScheduledExecutorService timer) {
        NestedList list = new NestedList(receiver, timer);
        list.restartIdleTimer();
        receiver.subscribe(Object.class, executor, list);
        return list.done;
    }

    @Override
    public void onMessage(Object item) {
        if (items.size() == MAX_ITEMS) {
            fail(new IllegalArgumentException("more than " + MAX_ITEMS + " messages on one nested channel"));
            return;
        }
        items.add(item);
        restartIdleTimer();
    }

    @Override
    public void onEnd() {
        idle.cancel(false);
        done.complete(items);
    }

    @Override
    public void onError(LibchanException error) {
        idle.cancel(false);
        done.completeExceptionally(error);
    }

    private void restartIdleTimer() {
        Future<?> previous = idle;
        if (previous != null) {
            previous.cancel(false);
        }
        idle = timer.schedule(() -> fail(new ChannelTimeoutException(
                "no message on a nested channel for " + IDLE_LIMIT.toSeconds() + " s")), IDLE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails the list first, so the subscription's end caused by the close cannot complete it normally. */
    private void fail(RuntimeException why) {
        done.completeExceptionally(why);
        receiver.close();
    }
}
