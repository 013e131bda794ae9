package io.libchan.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes items one after another from an asynchronous source ({@code Listener.acceptAsync},
 * {@code Transport.receiveChannelAsync}) without parking a thread between them: each item is
 * handed to {@code each} on the executor, which then asks the source for the next one. The
 * source's callbacks may run on a connection's I/O thread, so they only hand over to the executor;
 * asking again from the executor task also keeps the stack flat when many items are ready at once.
 * {@code each} must not block for long: it holds an executor slot; if it throws, the item is
 * closed and the loop goes on.
 */
final class AsyncLoop {
    private static final Logger LOG = Logger.getLogger(AsyncLoop.class.getName());

    private AsyncLoop() {
    }

    /**
     * Starts the loop. The returned future fails with the source's error once the source fails
     * (for a listener or session that ended: {@code ChannelClosedException} or
     * {@code ConnectionLostException}), or with {@link RejectedExecutionException} when the executor
     * refused a task; an item the executor refused is closed.
     */
    static <T extends AutoCloseable> CompletableFuture<Void> run(Supplier<CompletableFuture<T>> source,
                                                                 Executor executor, Consumer<T> each) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        next(source, executor, each, ended);
        return ended;
    }

    private static <T extends AutoCloseable> void next(Supplier<CompletableFuture<T>> source, Executor executor,
                                                       Consumer<T> each, CompletableFuture<Void> ended) {
        CompletableFuture<T> item;
        try {
            item = source.get();
        } catch (RuntimeException e) {
            ended.completeExceptionally(e);
            return;
        }
        item.whenComplete((value, error) -> {
            if (error != null) {
                ended.completeExceptionally(unwrap(error));
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        each.accept(value);
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "serving " + value + " failed", e);
                        closeQuietly(value);
                    }
                    next(source, executor, each, ended);
                });
            } catch (RejectedExecutionException e) {
                closeQuietly(value);
                ended.completeExceptionally(e);
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // refused while shutting down: nothing more to do with it
        }
    }
}
