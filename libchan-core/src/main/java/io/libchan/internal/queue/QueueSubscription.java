package io.libchan.internal.queue;

import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A push consumer of a {@link ChannelQueue}: with demand it waits in the queue like a blocked
 * receiver, so it competes fairly with other receivers, but parks no thread. Messages it takes go
 * to an outbox that is drained on the executor, one signal at a time (Reactive Streams rule 1.3).
 * On cancel, messages still in the outbox go back to the head of the queue, so none is lost.
 *
 * <p>Fields marked "queue lock" are guarded by the queue's lock; the drain loop is serialised by
 * {@link #wip}.
 */
final class QueueSubscription<T> implements Flow.Subscription, Taker {
    private final ChannelQueue queue;
    private final Flow.Subscriber<? super T> subscriber;
    private final Function<Object, T> convert;
    private final Executor executor;
    private final AtomicInteger wip = new AtomicInteger();

    private final ArrayDeque<Object> outbox = new ArrayDeque<>(); // queue lock
    private long demand;                                          // queue lock
    private boolean registered;                                   // queue lock
    private boolean cancelled;                                    // queue lock
    private LibchanException terminal;                            // queue lock
    private RuntimeException badRequest;                          // queue lock
    private boolean subscribedSignalled;                          // drain loop only
    private boolean done;                                         // drain loop only

    QueueSubscription(ChannelQueue queue, Flow.Subscriber<? super T> subscriber,
                      Function<Object, T> convert, Executor executor) {
        this.queue = queue;
        this.subscriber = subscriber;
        this.convert = convert;
        this.executor = executor;
    }

    void start() {
        scheduleDrain(); // onSubscribe is signalled from the drain loop, serial with the rest
    }

    @Override
    public void request(long n) {
        List<PendingPut> release = null; // made only when a blocked put is released: request(1) follows every message
        queue.lock();
        try {
            if (cancelled || terminal != null) {
                return;
            }
            if (n <= 0) {
                badRequest = new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
                cancelLocked();
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                release = feedLocked();
            }
        } finally {
            queue.unlock();
        }
        if (release != null) {
            release.forEach(PendingPut::signal);
        }
        scheduleDrain();
    }

    /** Moves queued messages to the outbox as demand allows; returns the blocked puts this released, or null. */
    private List<PendingPut> feedLocked() {
        List<PendingPut> release = null;
        if (registered) {
            return release;
        }
        while (demand > 0) {
            Object item = queue.pollLocked();
            PendingPut r = queue.takeReleasedLocked();
            if (r != null) {
                if (release == null) {
                    release = new ArrayList<>(2);
                }
                release.add(r);
            }
            if (item == ChannelQueue.NONE) {
                terminal = queue.terminalLocked();
                if (terminal == null) {
                    registered = true;
                    queue.registerLocked(this);
                }
                return release;
            }
            outbox.addLast(item);
            demand--;
        }
        return release;
    }

    @Override
    public void cancel() {
        List<Taker> wake;
        queue.lock();
        try {
            if (cancelled) {
                return;
            }
            wake = cancelLocked();
        } finally {
            queue.unlock();
        }
        wake.forEach(Taker::signal);
    }

    private List<Taker> cancelLocked() {
        cancelled = true;
        if (registered) {
            queue.unregisterLocked(this);
            registered = false;
        }
        return queue.giveBackLocked(outbox);
    }

    @Override
    public boolean acceptLocked(Object item) {
        outbox.addLast(item);
        if (--demand == 0) {
            registered = false;
            return false;
        }
        return true;
    }

    @Override
    public void failLocked(LibchanException error) {
        terminal = error;
        registered = false;
    }

    @Override
    public void signal() {
        scheduleDrain();
    }

    /** Made once: a method reference written in scheduleDrain would be a new object per message. */
    private final Runnable drainTask = this::drain;

    private void scheduleDrain() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException e) {
                wip.set(0);
                queue.lock();
                try {
                    cancelLocked();
                } finally {
                    queue.unlock();
                }
                if (!done) {
                    done = true;
                    subscriber.onError(new LibchanException("executor rejected message delivery", e));
                }
            }
        }
    }

    private void drain() {
        int missed = 1;
        while (true) {
            if (!subscribedSignalled) {
                subscribedSignalled = true;
                subscriber.onSubscribe(this);
            }
            while (!done) {
                Object item;
                LibchanException end = null;
                RuntimeException invalid;
                queue.lock();
                try {
                    invalid = badRequest;
                    item = cancelled ? ChannelQueue.NONE : (outbox.isEmpty() ? ChannelQueue.NONE : outbox.pollFirst());
                    if (item == ChannelQueue.NONE && !cancelled) {
                        end = terminal;
                    }
                } finally {
                    queue.unlock();
                }
                if (invalid != null) {
                    done = true;
                    subscriber.onError(invalid);
                } else if (item != ChannelQueue.NONE) {
                    Executor elsewhere = deliver(item);
                    if (elsewhere != null) {
                        // the same drain goes on there (wip is not given back: no other drain starts meanwhile)
                        queue.lock();
                        try {
                            outbox.addFirst(item);
                        } finally {
                            queue.unlock();
                        }
                        try {
                            elsewhere.execute(this::drainAgain);
                        } catch (RejectedExecutionException e) {
                            done = true;
                            cancel();
                            subscriber.onError(new LibchanException("executor rejected message delivery", e));
                            wip.set(0);
                        }
                        return;
                    }
                } else if (end != null) {
                    done = true;
                    if (end instanceof EndOfChannelException) {
                        subscriber.onComplete();
                    } else {
                        subscriber.onError(end);
                    }
                } else {
                    break;
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** A drain that {@link WouldBlockException} moved off a thread that must not block. */
    private void drainAgain() {
        drain();
    }

    /**
     * Delivers {@code item}; returns null, or the executor to deliver it on instead when decoding
     * it here would have to wait ({@link WouldBlockException}).
     */
    private Executor deliver(Object item) {
        T value;
        try {
            value = convert.apply(ChannelQueue.unmask(item));
        } catch (WouldBlockException e) {
            return e.executor();
        } catch (LibchanException e) {
            done = true;
            cancel();
            subscriber.onError(e);
            return null;
        }
        try {
            subscriber.onNext(value);
        } catch (RuntimeException | Error e) {
            // rule 2.13: a throwing subscriber is considered cancelled
            done = true;
            cancel();
        }
        return null;
    }
}
