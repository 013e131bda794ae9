package io.libchan.internal.queue;

import io.libchan.Receiver;
import io.libchan.internal.convert.MessageConverter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A {@link Receiver} over a {@link ChannelQueue}. Items are either the sent objects themselves
 * (in memory) or {@link Decodable} messages from a network stream, decoded by the taker.
 */
public abstract class QueueReceiver implements Receiver {
    protected final ChannelQueue queue;

    protected QueueReceiver(ChannelQueue queue) {
        this.queue = queue;
    }

    /** Turns a queued item into the requested type; called once per message, by the taker. */
    protected <T> T convert(Object item, Class<T> type) {
        if (item instanceof Decodable) {
            return ((Decodable) item).decode(type);
        }
        return MessageConverter.convert(item, type);
    }

    @Override
    public Object receive() {
        return convert(queue.take(Long.MAX_VALUE), Object.class);
    }

    @Override
    public <T> T receive(Class<T> type) {
        return convert(queue.take(Long.MAX_VALUE), type);
    }

    @Override
    public <T> T receive(Class<T> type, Duration timeout) {
        return convert(queue.take(deadline(timeout)), type);
    }

    @Override
    public <T> CompletableFuture<T> receiveAsync(Class<T> type) {
        CompletableFuture<Object> taken = queue.takeAsync();
        WithdrawableFuture<T> result = new WithdrawableFuture<>();
        result.withdrawWith(() -> taken.cancel(false));
        taken.whenComplete((item, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            try {
                result.complete(convert(item, type));
            } catch (WouldBlockException e) {
                // completed on a thread that must not wait: decode where it may
                e.executor().execute(() -> {
                    try {
                        result.complete(convert(item, type));
                    } catch (RuntimeException again) {
                        result.completeExceptionally(again);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public <T> Flow.Publisher<T> publisher(Class<T> type, Executor executor) {
        return subscriber -> queue.subscribe(subscriber, item -> convert(item, type), executor);
    }

    @Override
    public void close() {
        queue.closeReceive();
    }

    /**
     * The next channel a session accepted, from the queue its reader fills, waiting until
     * {@code deadline} ({@link #deadline}); once the session ends, {@code ChannelClosedException}.
     */
    public static Receiver nextAccepted(ChannelQueue accepted, long deadline) {
        try {
            return (Receiver) accepted.take(deadline);
        } catch (io.libchan.EndOfChannelException e) {
            throw new io.libchan.ChannelClosedException("session closed: no more channels");
        }
    }

    /**
     * The next item of {@code queue} (a channel a session accepted, a session a listener
     * accepted), without blocking; once the queue has ended, {@code ChannelClosedException}
     * saying {@code ended}. Cancelling the future withdraws the request.
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> nextAsync(ChannelQueue queue, String ended) {
        CompletableFuture<Object> taken = queue.takeAsync();
        WithdrawableFuture<T> result = new WithdrawableFuture<>();
        result.withdrawWith(() -> taken.cancel(false));
        taken.whenComplete((item, error) -> {
            if (error == null) {
                result.complete((T) item);
            } else if (error instanceof io.libchan.EndOfChannelException) {
                result.completeExceptionally(new io.libchan.ChannelClosedException(ended));
            } else {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    /** A {@link System#nanoTime()} deadline for a timeout, saturating at {@link Long#MAX_VALUE}. */
    public static long deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        long deadline = System.nanoTime() + nanos;
        return (nanos > 0 && deadline < 0) || deadline == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : deadline;
    }
}
