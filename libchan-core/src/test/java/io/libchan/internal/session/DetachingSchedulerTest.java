package io.libchan.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Timers on an application's scheduler that, like WildFly's managed one, keeps cancelled tasks
 * queued until their time: once cancelled, what is still queued must hold nothing of the task
 * (a session's keep-alive held the undeployed WAR's class loader for a keep-alive interval).
 */
class DetachingSchedulerTest {
    /**
     * As WildFly's managed scheduler: cancelled tasks stay in the queue (removeOnCancelPolicy false,
     * the default), each in a task object of the container's own that keeps the runnable it was given.
     */
    private final ScheduledThreadPoolExecutor container = new ScheduledThreadPoolExecutor(1) {
        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
            return new Remembering<>(runnable, task);
        }
    };
    private final DetachingScheduler scheduler = new DetachingScheduler(container);

    @AfterEach
    void stop() {
        container.shutdownNow();
    }

    @Test
    void aCancelledOneShotTaskIsLetGoWhileItsSlotStaysQueued() throws Exception {
        ReferenceQueue<Object> collected = new ReferenceQueue<>();
        WeakReference<Object> task = scheduleAndCancel(collected, false);
        assertEquals(1, container.getQueue().size(), "the container still queues the cancelled slot");
        awaitCollected(collected, task);
    }

    @Test
    void aCancelledRepeatingTaskIsLetGoWhileItsSlotStaysQueued() throws Exception {
        ReferenceQueue<Object> collected = new ReferenceQueue<>();
        WeakReference<Object> task = scheduleAndCancel(collected, true);
        assertEquals(1, container.getQueue().size(), "the container still queues the cancelled slot");
        awaitCollected(collected, task);
    }

    @Test
    void aRepeatingTaskRunsUntilCancelled() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            three.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        if (!three.await(30, TimeUnit.SECONDS)) {
            fail("ran " + runs.get() + " times");
        }
        f.cancel(false);
        int after = runs.get();
        // one run may have been under way at the cancel; then nothing: a task queued after this one
        // runs after the last possible run of the repetition
        container.schedule(() -> { }, 5, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
        container.submit(() -> { }).get(30, TimeUnit.SECONDS);
        int settled = runs.get();
        container.schedule(() -> { }, 5, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS);
        assertEquals(settled, runs.get(), "runs after the cancel");
        if (settled > after + 1) {
            fail("ran " + (settled - after) + " more times after the cancel");
        }
    }

    @Test
    void withoutItTheContainersQueueKeepsACancelledTask() throws Exception {
        Object[] kept = {new Object()};
        ReferenceQueue<Object> collected = new ReferenceQueue<>();
        WeakReference<Object> ref = new WeakReference<>(kept[0], collected);
        Object payload = kept[0];
        container.schedule(() -> payload.hashCode(), 1, TimeUnit.HOURS).cancel(false);
        kept[0] = null;
        System.gc();
        assertEquals(null, collected.remove(500), "the container as modelled here keeps what it was given");
    }

    private WeakReference<Object> scheduleAndCancel(ReferenceQueue<Object> queue, boolean repeating) {
        Runnable task = new Runnable() {
            private final byte[] weight = new byte[1024];

            @Override
            public void run() {
                weight[0]++;
            }
        };
        ScheduledFuture<?> f = repeating
                ? scheduler.scheduleWithFixedDelay(task, 1, 1, TimeUnit.HOURS)
                : scheduler.schedule(task, 1, TimeUnit.HOURS);
        f.cancel(false);
        return new WeakReference<>(task, queue);
    }

    private static void awaitCollected(ReferenceQueue<Object> queue, WeakReference<Object> ref) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (queue.remove(500) == ref) {
                return;
            }
        }
        fail("the cancelled task is still reachable from the scheduler's queue");
    }

    /** A container's task object: it remembers the runnable it was given, cancelled or not. */
    private static final class Remembering<V> implements RunnableScheduledFuture<V> {
        private final Runnable remembered;
        private final RunnableScheduledFuture<V> task;

        Remembering(Runnable remembered, RunnableScheduledFuture<V> task) {
            this.remembered = remembered;
            this.task = task;
        }

        @Override
        public boolean isPeriodic() {
            return task.isPeriodic();
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return task.cancel(mayInterruptIfRunning);
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
        public V get() throws InterruptedException, java.util.concurrent.ExecutionException {
            return task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit)
                throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            return task.get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return task.getDelay(unit);
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed o) {
            return task.compareTo(o instanceof Remembering<?> r ? r.task : o);
        }

        @Override
        public String toString() {
            return "Remembering(" + remembered + ")";
        }
    }
}
