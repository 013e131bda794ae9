package io.libchan.internal.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.lang.System.Logger.Level;

/**
 * One I/O thread: a {@link Selector} and the channels registered on it, the tasks other threads
 * post ({@link #execute}), and timers ({@link #schedule}, loop thread only). Every ready key's
 * {@link Handler} runs on this thread, one at a time; a handler that throws, an
 * {@code OutOfMemoryError} included, fails only its own channel ({@link Handler#failed}) and the
 * loop goes on. A task that throws is logged and the loop goes on: nothing reaches the thread's
 * uncaught-exception handler.
 *
 * <p>Why hand-written on java.nio rather than Netty or XNIO: the core stays free of any container
 * or framework (Undertow's XNIO would tie it to one), and what a session needs is small: a
 * selector per thread, posted tasks, millisecond timers and one read buffer per thread, borrowed
 * for each readiness event so an idle connection owns none. junixsocket's selector provider plugs
 * straight into this loop for {@code unix://}.
 *
 * <p>Thread-safe: {@link #execute}, {@link #wakeup()} and {@link #shutdown()} from any thread;
 * {@link #schedule} and {@link #readBuffer()} only on the loop thread.
 */
public final class IoLoop implements Executor {
    private static final System.Logger LOG = System.getLogger(IoLoop.class.getName());
    /**
     * The read buffer each loop lends to the connection it reads: room for a byte stream's largest
     * DATA frame (256 KiB, a gateway's chunk) with its head and the next one's, so a bulk transfer
     * takes one read per frame rather than four (and the gateway one write of it to its target,
     * NioWire ends such reads with the frame). A read takes only what the socket holds: small
     * messages cost no more than with a small buffer; one per loop, not per connection.
     */
    static final int READ_BUFFER = 256 * 1024 + 8 * 1024;

    /** What a registered channel does when it is ready. Runs on the loop thread. */
    public interface Handler {
        /** The key is ready for {@code readyOps}. May throw: {@link #failed} is then called. */
        void ready(int readyOps) throws Exception;

        /** {@link #ready} threw, or the loop is stopping: give up the channel. Must not throw. */
        void failed(Throwable error);
    }

    private static final SelectionKey[] NO_KEYS = new SelectionKey[0];

    private final Selector selector;
    /** The JDK's own selector: its select(Consumer) dispatches without holding the selector's monitor. */
    private final boolean jdkSelector;
    /**
     * Selects done on a selector that is not the JDK's (loop thread writes, tests read): such an idle
     * loop must not spin. Not counted for the JDK's selector, to keep a volatile write off its hot path.
     */
    private volatile long selects;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while the loop is about to block or blocked in select: a new task must wake it. */
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(); // loop thread only
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER); // loop thread only
    private long timerSequence; // loop thread only
    private volatile boolean stopping;

    private final IoLoopGroup group;

    IoLoop(SelectorProvider provider, ThreadFactory threads, String name, IoLoopGroup group) throws IOException {
        this.group = group;
        this.selector = provider.openSelector();
        this.jdkSelector = provider == SelectorProvider.provider();
        this.thread = threads.newThread(this::run);
        thread.setName(name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Ends a lease ({@link IoLoopGroup#lease}): the connection or listener that held it closed. */
    public void release() {
        group.release();
    }

    /** True while the loop's thread runs and is not stopping: false after a fatal error killed it. */
    public boolean isAlive() {
        return !stopping && thread.isAlive();
    }

    /** True on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop thread, soon (never inline, even on the loop thread).
     *
     * @throws RejectedExecutionException once the loop is stopping
     */
    @Override
    public void execute(Runnable task) {
        if (stopping) {
            throw new RejectedExecutionException("the I/O thread " + thread.getName() + " is stopping");
        }
        tasks.add(task);
        if (!inLoop()) {
            wakeup();
        }
    }

    /** Makes a select in progress (or the next one) return at once; a no-op while the loop is busy. */
    public void wakeup() {
        if (wakeupNeeded.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /**
     * Registers {@code channel} (non-blocking) for {@code ops}; runs on the loop thread, so call it
     * there (from {@link #execute} otherwise).
     */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        assert inLoop();
        return channel.register(selector, ops, handler);
    }

    /** True when {@code channel} can be registered here (its provider is this loop's selector's). */
    public boolean accepts(SelectableChannel channel) {
        return channel.provider() == selector.provider();
    }

    /**
     * Runs {@code task} on the loop thread once {@code delayNanos} have passed (to the millisecond:
     * a select waits in whole milliseconds). Loop thread only.
     *
     * @return a handle whose {@link Timer#cancel()} stops it (loop thread only)
     */
    public Timer schedule(long delayNanos, Runnable task) {
        assert inLoop();
        Timer t = new Timer(System.nanoTime() + delayNanos, timerSequence++, task);
        timers.add(t);
        return t;
    }

    /** The loop's own read buffer, lent to one connection for one readiness event. Loop thread only. */
    ByteBuffer readBuffer() {
        assert inLoop();
        return readBuffer;
    }

    /** Stops the loop: every registered channel's handler is {@linkplain Handler#failed failed}. */
    void shutdown() {
        stopping = true;
        selector.wakeup();
    }

    boolean isStopping() {
        return stopping;
    }

    String name() {
        return thread.getName();
    }

    /** How many selects a loop on a non-JDK selector has done (0 on the JDK's): a test counts them to see that an idle loop blocks. */
    public long selects() {
        return selects;
    }

    /**
     * What the loop's thread is doing now, for an error saying that it did not answer in time: its
     * name, state and top frames (a loop blocked inside a handler shows where).
     */
    String describeThread() {
        StringBuilder b = new StringBuilder(thread.getName()).append(" (").append(thread.getState()).append(')');
        StackTraceElement[] frames = thread.getStackTrace();
        for (int i = 0; i < Math.min(12, frames.length); i++) {
            b.append("\n\tat ").append(frames[i]);
        }
        return b.toString();
    }

    private void run() {
        try {
            while (!stopping) {
                try {
                    runOnce();
                } catch (ClosedSelectorException e) {
                    return;
                } catch (IOException e) {
                    LOG.log(Level.WARNING, () -> "I/O thread " + thread.getName() + ": select failed: " + e);
                    pauseAfterFailure();
                } catch (Throwable e) {
                    // out of memory, or a bug in the loop itself: the loop goes on, its channels with it
                    reportQuietly(e);
                    pauseAfterFailure();
                }
            }
        } finally {
            stopping = true;
            closeAll();
        }
    }

    /** Made once: a method reference written at each select would be a new object per wake-up. */
    private final java.util.function.Consumer<SelectionKey> dispatcher = this::dispatch;

    private void runOnce() throws IOException {
        runTasks();
        long timeout = runDueTimers();
        wakeupNeeded.set(true);
        if (!tasks.isEmpty() || stopping) {
            wakeupNeeded.set(false);
            if (jdkSelector) {
                selector.selectNow(dispatcher);
            } else {
                selector.selectNow();
                dispatchSelected();
            }
        } else {
            if (jdkSelector) {
                if (timeout < 0) {
                    selector.select(dispatcher);
                } else {
                    selector.select(dispatcher, timeout);
                }
            } else {
                // select(), never select(0): junixsocket's select(0) returns at once (a spinning loop)
                if (timeout < 0) {
                    selector.select();
                } else {
                    selector.select(timeout);
                }
            }
            wakeupNeeded.set(false);
            if (!jdkSelector) {
                dispatchSelected();
            }
        }
    }

    /**
     * Dispatches the keys a plain select chose, outside any lock of the selector's. Selectors that are
     * not the JDK's (junixsocket's) take this path: {@link Selector#select(java.util.function.Consumer)}
     * falls back there to an implementation holding the selector's monitor during the whole select and
     * dispatch, while junixsocket cancels a key (any channel's close, on any thread) under that same
     * monitor. A thread closing a channel while holding a lock a handler needs then deadlocked with the
     * loop, and the loop was lost for every connection on it; an idle loop also held the monitor
     * without a break, starving every closing thread.
     */
    private void dispatchSelected() {
        selects++;
        java.util.Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return;
        }
        SelectionKey[] ready = selected.toArray(NO_KEYS);
        selected.clear();
        for (SelectionKey key : ready) {
            dispatch(key);
        }
    }

    /** After a failure of the loop itself, a moment's pause: what failed is likely to fail again at once. */
    private static void pauseAfterFailure() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportQuietly(Throwable e) {
        try {
            LOG.log(Level.WARNING, "I/O thread " + thread.getName() + " failed; it goes on: " + e);
            LOG.log(Level.DEBUG, "I/O thread failure", e);
        } catch (Throwable again) {
            // nothing left to report with (out of memory): going on is what matters
        }
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            handler.ready(key.isValid() ? key.readyOps() : 0);
        } catch (Throwable e) {
            failQuietly(handler, e);
        }
    }

    private static void failQuietly(Handler handler, Throwable e) {
        try {
            handler.failed(e);
        } catch (Throwable again) {
            LOG.log(Level.DEBUG, "a handler failed while giving up its channel", again);
        }
    }

    private void runTasks() {
        // at most the tasks queued now: a task that posts another does not starve the selector
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable e) {
                reportQuietly(e);
            }
        }
    }

    /** Runs the timers that are due; returns the milliseconds until the next one, or -1 if none. */
    private long runDueTimers() {
        while (true) {
            Timer next = timers.peek();
            if (next == null) {
                return -1;
            }
            if (next.cancelled) {
                timers.poll();
                continue;
            }
            long left = next.deadline - System.nanoTime();
            if (left > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            timers.poll();
            try {
                next.task.run();
            } catch (Throwable e) {
                reportQuietly(e);
            }
        }
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                failQuietly((Handler) key.attachment(), new IOException("the I/O thread stopped"));
            }
        } catch (ClosedSelectorException e) {
            // nothing registered any more
        }
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run(); // a task posted before the end (a close, a resume) still runs, on a dead loop
            } catch (Throwable e) {
                LOG.log(Level.DEBUG, "task failed after the I/O thread stopped", e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** A timer of this loop; cancel it on the loop thread. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        /** Stops the timer if it has not run; loop thread only. */
        public void cancel() {
            cancelled = true;
        }

        /** When it runs, on the {@link System#nanoTime()} scale. */
        public long deadline() {
            return deadline;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
