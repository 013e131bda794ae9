package io.libchan.example.client;

import io.libchan.ChannelClosedException;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.pool.Progress;
import io.libchan.example.pool.Registered;
import io.libchan.example.pool.Registration;
import io.libchan.example.pool.WorkerJob;
import io.libchan.example.pool.WorkerStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A worker of the pool, on any libchan session ({@code tcp://}, {@code ws://}, {@code h2c://},
 * {@code inmem://}...): {@link #join} registers it (a channel named {@code workers}, a
 * {@link Registration} carrying a fresh jobs channel and status channel), then takes jobs one at a
 * time, pushed to it on an executor (no thread waits for the next job; a job holds one while its
 * {@link Work} runs): status {@code busy}, progress events, the result (or an error reply if the
 * {@link Work} threw), status {@code idle}.
 *
 * <p>{@link #close()} leaves the pool: it closes the status channel (the pool removes the worker at
 * once) and its end of the jobs channel, finishes the job in hand, and hands back the jobs already
 * queued by closing their reply channels unanswered (the pool gives them to another worker).
 * Closing or losing the session has the same effect on the pool's side. The session stays the
 * caller's. Thread-safe.
 */
public final class PoolWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PoolWorker.class.getName());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Work work;
    private final Pipe jobs = Pipe.create();
    private final Pipe status = Pipe.buffered(16);
    private final AtomicInteger done = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile int workers;
    private volatile boolean leaving;

    private PoolWorker(String name, Work work) {
        this.name = name;
        this.work = work;
    }

    /**
     * Registers a worker named {@code name} on {@code session} and starts taking jobs.
     *
     * @throws io.libchan.RemoteErrorException when the pool refuses it (e.g. the name is taken)
     * @throws LibchanException when the session fails or no answer comes within 10 s
     */
    public static PoolWorker join(Transport session, String name, Work work) {
        return join(session, name, work, WorkerThreads.shared());
    }

    /**
     * As {@link #join(Transport, String, Work)}, running the jobs on {@code executor}: one task per
     * job, for as long as its {@link Work} runs and its answer is sent.
     */
    public static PoolWorker join(Transport session, String name, Work work, Executor executor) {
        PoolWorker worker = new PoolWorker(name, work);
        worker.register(session);
        worker.jobs.receiver().subscribe(WorkerJob.class, executor, worker.new Jobs());
        return worker;
    }

    private void register(Transport session) {
        Sender workersChannel = session.newSendChannel("workers");
        Pipe ret = Pipe.create();
        try {
            workersChannel.send(new Registration(name, jobs.sender(), status.receiver(), ret.sender()), WAIT);
            Object answer = ret.receiver().receive(Object.class, WAIT);
            ErrorReply.asError(answer).ifPresent(e -> {
                throw e;
            });
            workers = io.libchan.Messages.convert(answer, Registered.class).workers();
        } finally {
            workersChannel.close();
        }
    }

    public String name() {
        return name;
    }

    /** How many workers the pool had right after this one joined. */
    public int workersAtJoin() {
        return workers;
    }

    /**
     * Completes when the worker takes no more jobs: it left ({@link #close()}), the pool ended its
     * jobs channel (the pool shut down or dropped it), or the session was lost.
     */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Jobs answered so far. */
    public int done() {
        return done.get();
    }

    /** The jobs as they come: one at a time, until the jobs channel ends or fails. */
    private final class Jobs implements MessageListener<WorkerJob> {
        @Override
        public void onMessage(WorkerJob job) {
            handle(job);
        }

        @Override
        public void onEnd() {
            LOG.fine(() -> "worker " + name + ": no more jobs");
            stop();
        }

        @Override
        public void onError(LibchanException error) {
            if (error instanceof ChannelClosedException) {
                LOG.fine(() -> "worker " + name + ": no more jobs");
            } else {
                LOG.info(() -> "worker " + name + " stopped: " + error.getMessage());
            }
            stop();
        }

        private void stop() {
            ended.complete(null); // before the latch: close() returns once it is released, and ended() must then be done
            stopped.countDown();
        }
    }

    private void handle(WorkerJob job) {
        if (leaving) {
            closeQuietly(job.progress());
            closeQuietly(job.ret()); // unanswered: the pool gives the job to another worker
            return;
        }
        report(WorkerStatus.busy(job.job()));
        Object answer;
        try {
            Object result = work.run(job.task(), percent -> sendQuietly(job.progress(), new Progress(job.job(), percent)));
            answer = Map.of("result", result);
        } catch (Exception e) {
            answer = ErrorReply.of(e);
        }
        closeQuietly(job.progress());
        try {
            job.ret().send(answer, WAIT);
            done.incrementAndGet();
        } catch (LibchanException e) {
            LOG.info(() -> "worker " + name + ": the answer to job " + job.job() + " was lost: " + e.getMessage());
        } finally {
            job.ret().close();
        }
        report(WorkerStatus.idle());
    }

    private void report(WorkerStatus state) {
        sendQuietly(status.sender(), state);
    }

    private static void sendQuietly(Sender to, Object message) {
        if (to == null) {
            return;
        }
        try {
            to.send(message, WAIT);
        } catch (LibchanException e) {
            // the pool stopped listening: the job's answer still tells it everything
        }
    }

    private static void closeQuietly(Sender s) {
        if (s != null) {
            s.close();
        }
    }

    /** Leaves the pool and waits (up to 10 s) for the job in hand to be answered. Idempotent. */
    @Override
    public void close() {
        leaving = true;
        status.sender().close();
        jobs.sender().close(); // our end: the jobs already queued still arrive, then the end
        try {
            stopped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
