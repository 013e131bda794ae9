package io.libchan.cdi.internal;

import io.libchan.LibchanException;
import io.libchan.Receiver;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.Flow;

/**
 * Serves one channel to one endpoint, push style: it asks the channel for one message, hands it to
 * the {@link EndpointDispatcher}, and asks for the next only when that call is done, so a
 * channel's messages are handled one at a time and in order, and no thread waits on an idle
 * channel. When the channel ends or fails the receiver is closed and {@code onFinished} runs.
 *
 * <p>State (guarded by {@code lock}): {@code busy} while a message is being handled or waits for
 * a permit; {@code stopped} once {@link #drain} began; {@code ended} once the channel ended;
 * {@code notBusy}, set by a drain that found the channel busy, completes when it no longer is.
 */
final class ChannelSubscriber implements Flow.Subscriber<Object> {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final Receiver receiver;
    private final EndpointDispatcher endpoint;
    private final CallInfo call;
    private final Runnable onFinished;
    private final Object lock = new Object();
    private Flow.Subscription subscription;
    private boolean busy;
    private boolean stopped;
    private boolean ended;
    private CompletableFuture<Void> notBusy;

    ChannelSubscriber(Receiver receiver, EndpointDispatcher endpoint, CallInfo call, Runnable onFinished) {
        this.receiver = receiver;
        this.endpoint = endpoint;
        this.call = call;
        this.onFinished = onFinished;
    }

    /** Starts taking messages; deliveries run on {@code executor}. */
    void start(Executor executor) {
        receiver.publisher(Object.class, executor).subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancel;
        synchronized (lock) {
            subscription = s;
            cancel = stopped;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(Object message) {
        synchronized (lock) {
            busy = true;
        }
        endpoint.dispatch(message, call, this::handled);
    }

    private void handled() {
        Flow.Subscription next;
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            busy = false;
            next = stopped || ended ? null : subscription;
            waiting = notBusy;
            notBusy = null;
            lock.notifyAll();
        }
        if (waiting != null) {
            waiting.complete(null);
        }
        if (next != null) {
            next.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        LOG.log(Level.DEBUG, () -> UserMessages.channelFailed(endpoint.name(), call.source(), error));
        end();
    }

    @Override
    public void onComplete() {
        end();
    }

    private void end() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
        receiver.close();
        onFinished.run();
    }

    /**
     * Shutdown: stops taking messages and, once the message in hand is handled (without a thread
     * waiting for it), handles every message still waiting in the channel on a task of
     * {@code executors}, and closes it. Gives up at {@code deadline} ({@link System#nanoTime()}):
     * a message still in hand then is left to finish, the waiting ones are not handled. The future
     * completes when the channel is closed; it never fails.
     */
    CompletableFuture<Void> drain(long deadline, LibchanExecutors executors) {
        Flow.Subscription s;
        CompletableFuture<Void> idle;
        synchronized (lock) {
            stopped = true;
            s = subscription;
            if (busy) {
                notBusy = notBusy != null ? notBusy : new CompletableFuture<>();
                idle = notBusy;
            } else {
                idle = CompletableFuture.completedFuture(null);
            }
        }
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        idle.thenRun(() -> ready.complete(true));
        Future<?> timeout = executors.schedule(() -> ready.complete(false),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ready.thenAccept(inTime -> executors.execute(() -> {
            timeout.cancel(false);
            try {
                if (inTime && !isEnded()) {
                    handleWaiting(deadline);
                }
            } finally {
                receiver.close();
                closed.complete(null);
            }
        }));
        return closed;
    }

    private void handleWaiting(long deadline) {
        try {
            while (System.nanoTime() - deadline < 0) {
                endpoint.handleNow(receiver.receive(Object.class, Duration.ZERO), call);
            }
        } catch (LibchanException e) {
            // timeout (nothing left), end of channel, closed or lost: the channel is drained
        }
    }

    /** Waits until the channel ended and its last message was handled; true if so by {@code deadline}. */
    boolean awaitEnd(long deadline) throws InterruptedException {
        synchronized (lock) {
            while (!ended || busy) {
                if (!waitUntil(deadline)) {
                    return false;
                }
            }
            return true;
        }
    }

    private boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    /** Waits on {@code lock} (held) until notified or {@code deadline}; false once the deadline passed. */
    private boolean waitUntil(long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        lock.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
        return true;
    }
}
