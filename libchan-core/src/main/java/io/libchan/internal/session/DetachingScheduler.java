package io.libchan.internal.session;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An application's scheduler (a container's managed one) seen through tasks that let go of
 * libchan when cancelled.
 *
 * <p>Why: a scheduler that does not remove cancelled tasks (a {@code ScheduledThreadPoolExecutor}
 * without {@code removeOnCancelPolicy}, as WildFly's managed one is) keeps a cancelled task queued
 * until its time comes. A session's keep-alive or drain timer, cancelled when the session ended,
 * then held its lambda, and through it the deployment's class loader, for up to a keep-alive
 * interval after undeploy. Here every task goes to the scheduler inside a JDK
 * {@link FutureTask}, which drops its task when cancelled: what stays queued refers to nothing of
 * ours. Repeating tasks are chains of such one-shot tasks. Thread-safe.
 */
final class DetachingScheduler implements ScheduledExecutorService {
    private final ScheduledExecutorService scheduler;

    DetachingScheduler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(new FutureTask<Void>(command, null), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return schedule(new FutureTask<>(callable), delay, unit);
    }

    private <V> ScheduledFuture<V> schedule(FutureTask<V> task, long delay, TimeUnit unit) {
        return new OneShot<>(task, scheduler.schedule(task, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return new Repeating(command, unit.toNanos(period), true).start(unit.toNanos(initialDelay));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return new Repeating(command, unit.toNanos(delay), false).start(unit.toNanos(initialDelay));
    }

    /** One run of a one-shot task; cancelling drops the task from the queued FutureTask. */
    private static final class OneShot<V> implements ScheduledFuture<V> {
        private final FutureTask<V> task;
        private final ScheduledFuture<?> queued;

        OneShot(FutureTask<V> task, ScheduledFuture<?> queued) {
            this.task = task;
            this.queued = queued;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = task.cancel(mayInterruptIfRunning); // FutureTask forgets its callable
            queued.cancel(false);
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return task.get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return queued.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** A repeating task as a chain of one-shot runs; the queue only ever holds the next run's FutureTask. */
    private final class Repeating implements ScheduledFuture<Void>, Runnable {
        private final Runnable command;
        private final long periodNanos;
        private final boolean fixedRate;
        private final FutureTask<Void> ended = new FutureTask<>(() -> { }, null);
        private long nextDue;
        private volatile OneShot<Void> next;

        Repeating(Runnable command, long periodNanos, boolean fixedRate) {
            this.command = command;
            this.periodNanos = periodNanos;
            this.fixedRate = fixedRate;
        }

        ScheduledFuture<?> start(long initialDelayNanos) {
            nextDue = System.nanoTime() + initialDelayNanos;
            queueNext(initialDelayNanos);
            return this;
        }

        private void queueNext(long delayNanos) {
            OneShot<Void> shot = (OneShot<Void>) schedule(new FutureTask<Void>(this, null), delayNanos, TimeUnit.NANOSECONDS);
            next = shot;
            if (ended.isDone()) {
                shot.cancel(false); // cancelled meanwhile
            }
        }

        @Override
        public void run() {
            if (ended.isDone()) {
                return;
            }
            try {
                command.run();
            } catch (RuntimeException | Error e) {
                ended.cancel(false); // as a ScheduledExecutorService does: a failed run ends the repetition
                throw e;
            }
            long now = System.nanoTime();
            nextDue = fixedRate ? nextDue + periodNanos : now + periodNanos;
            queueNext(Math.max(0, nextDue - now));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = ended.cancel(false);
            OneShot<Void> shot = next;
            if (shot != null) {
                shot.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return ended.isCancelled();
        }

        @Override
        public boolean isDone() {
            return ended.isDone();
        }

        @Override
        public Void get() throws InterruptedException, ExecutionException {
            return ended.get();
        }

        @Override
        public Void get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return ended.get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            OneShot<Void> shot = next;
            return shot == null ? 0 : shot.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    // ------------------------------------------------------------------ the rest goes straight through

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, unit);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return scheduler.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return scheduler.submit(task, result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return scheduler.submit(task);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return scheduler.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return scheduler.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return scheduler.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return scheduler.invokeAny(tasks, timeout, unit);
    }

    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }
}
