package io.libchan.internal.queue;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A future whose {@code cancel} first withdraws the pending operation from its queue; if the
 * operation already happened (the message was handed over), cancel returns false and the future
 * completes normally, so a message is never both delivered and reported as cancelled.
 */
public final class WithdrawableFuture<T> extends CompletableFuture<T> {
    private volatile BooleanSupplier withdraw = () -> true;

    public void withdrawWith(BooleanSupplier action) {
        this.withdraw = action;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone() || !withdraw.getAsBoolean()) {
            return false;
        }
        return super.cancel(mayInterruptIfRunning);
    }
}
