package io.libchan.example.pool;

import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.example.ExampleThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A self-registering worker pool. Workers join by sending a {@link Registration} that carries two
 * channels of their own ({@code jobs} to receive work on, {@code status} as their lease); clients
 * submit {@link JobRequest}s; the pool gives each job to the next live worker, round robin, and
 * relays the worker's {@link Progress} and result back to the client.
 *
 * <p><b>Results come back through the pool.</b> For every attempt the pool makes two in-memory
 * {@link Pipe}s and sends their Senders to the worker inside the {@link WorkerJob}; libchan turns
 * them into nested channels of the worker's session whose messages land in the pipes. The pool
 * reads them and relays to the client's own channels. Passing the client's channels straight to the
 * worker would work too (libchan relays a channel of one session sent on another, through this
 * server, the same number of hops), but then the pool could neither see the job finish nor give it
 * to another worker when the first one dies mid-job.
 *
 * <p><b>Dead workers.</b> A worker is removed when its status channel ends (it left) or fails (its
 * session was lost), or when a job cannot be sent to it; a job whose worker went away before
 * answering goes to the next worker, up to {@value #MAX_ATTEMPTS} workers in all.
 *
 * <p>Thread-safe: {@code members} and {@code next} are guarded by {@code this}. Sending a job blocks
 * the caller briefly (at most {@link #SEND_TIMEOUT}); everything that waits for a worker is
 * asynchronous, on {@link ExampleThreads}.
 */
@ApplicationScoped
public class WorkerPool {
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_ATTEMPTS = 3;
    static final Duration PROGRESS_GRACE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    @Inject
    Board board;

    @Inject
    ExampleThreads threads;

    private final List<PoolMember> members = new ArrayList<>();
    private int next;
    private final AtomicLong jobIds = new AtomicLong();
    private final Set<PoolJob> unfinished = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * Adds a worker; {@code via} says where it came from (the server's name) for the board.
     *
     * @throws PoolException for a blank or taken name, missing channels, or while shutting down
     */
    public Registered register(Registration registration, String via) {
        String name = registration.worker() == null ? "" : registration.worker().trim();
        if (registration.jobs() == null || registration.status() == null) {
            closeChannels(registration);
            throw new PoolException("worker '" + name + "' must send a 'jobs' Sender and a 'status' Receiver");
        }
        if (name.isEmpty() || closing) {
            closeChannels(registration);
            throw new PoolException(closing ? "the pool is shutting down" : "a worker needs a name");
        }
        PoolMember member = new PoolMember(name, via, registration.jobs(), registration.status());
        int count;
        synchronized (this) {
            if (members.stream().anyMatch(m -> m.name.equals(name))) {
                closeChannels(registration);
                throw new PoolException("a worker named '" + name + "' is already registered");
            }
            members.add(member);
            count = members.size();
        }
        board.workerJoined(name, via);
        member.following(member.status.subscribe(Object.class, threads.executor(), lease(member)));
        LOG.info(() -> "worker " + name + " joined through " + via);
        return new Registered(name, count);
    }

    /** The names of the registered workers, in round-robin order. */
    public synchronized List<String> workers() {
        return members.stream().map(m -> m.name).toList();
    }

    /** Takes a job: gives it to a worker, or answers at once with an error reply if there is none. */
    public void submit(JobRequest request) {
        if (closing) {
            throw new PoolException("the pool is shutting down");
        }
        String task = request.task() == null ? "" : request.task();
        PoolJob job = new PoolJob(jobIds.incrementAndGet(), task, request.progress(), request.ret());
        unfinished.add(job);
        board.jobSubmitted(job.id, task);
        dispatch(job);
    }

    /** Gives {@code job} to the next worker that takes it; workers it cannot be sent to are removed. */
    private void dispatch(PoolJob job) {
        while (true) {
            PoolMember member = nextMember();
            if (member == null) {
                fail(job, job.attempts() == 0 ? "no worker is registered"
                        : "job " + job.id + " was lost with its worker and no other worker is registered");
                return;
            }
            Pipe progress = Pipe.create();
            Pipe result = Pipe.create();
            try {
                member.jobs.send(new WorkerJob(job.id, job.task, progress.sender(), result.sender()), SEND_TIMEOUT);
            } catch (LibchanException e) {
                remove(member, "unreachable: " + e.getMessage());
                continue;
            }
            int attempt = job.attempted();
            board.jobGiven(job.id, member.name, attempt);
            follow(job, member, progress, result);
            return;
        }
    }

    /**
     * Relays the attempt's progress, and waits (asynchronously) for its result. Progress and result
     * are two channels, with no order between them: the answer goes to the client once the progress
     * channel has ended too (a worker closes it before answering), or {@link #PROGRESS_GRACE} after
     * the result for a worker that does not.
     */
    private void follow(PoolJob job, PoolMember member, Pipe progress, Pipe result) {
        CompletableFuture<Void> progressEnded = new CompletableFuture<>();
        AutoCloseable progressEvents = progress.receiver().subscribe(Object.class, threads.executor(),
                new MessageListener<>() {
                    @Override
                    public void onMessage(Object event) {
                        percent(event).ifPresent(p -> {
                            board.jobProgressed(job.id, p);
                            job.progressed(new Progress(job.id, p));
                        });
                    }

                    @Override
                    public void onEnd() {
                        progressEnded.complete(null);
                    }

                    @Override
                    public void onError(LibchanException error) {
                        progressEnded.complete(null);
                    }
                });
        result.receiver().receiveAsync(Object.class).whenComplete((answer, failure) -> {
            if (!progressEnded.isDone()) {
                threads.scheduler().schedule(() -> progressEnded.complete(null), PROGRESS_GRACE.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            progressEnded.thenRunAsync(() -> {
                closeQuietly(progressEvents);
                progress.receiver().close();
                result.receiver().close();
                if (failure == null) {
                    answered(job, member, answer);
                } else {
                    lost(job, member, unwrap(failure));
                }
            }, threads.executor());
        });
    }

    private void answered(PoolJob job, PoolMember member, Object answer) {
        Optional<RemoteErrorException> error = ErrorReply.asError(answer);
        if (error.isPresent()) {
            board.jobFailed(job.id, error.get().getMessage());
            job.finish(ErrorReply.of(error.get()));
        } else {
            Object value = Messages.field(answer, "result").orElse(answer);
            board.jobDone(job.id, value);
            board.workerFinishedOne(member.name);
            job.finish(new JobResult(job.id, member.name, value));
        }
        unfinished.remove(job);
    }

    /** The attempt ended without an answer: the worker closed the channel, or its session was lost. */
    private void lost(PoolJob job, PoolMember member, Throwable why) {
        if (job.isFinished()) {
            return;
        }
        String how = why instanceof EndOfChannelException ? "closed it without an answer" : "was lost: " + why.getMessage();
        LOG.info(() -> "job " + job.id + ": worker " + member.name + " " + how);
        if (closing) {
            fail(job, "the pool is shutting down");
        } else if (job.attempts() >= MAX_ATTEMPTS) {
            fail(job, "job " + job.id + " was given to " + job.attempts() + " workers and none answered");
        } else {
            dispatch(job);
        }
    }

    private void fail(PoolJob job, String why) {
        board.jobFailed(job.id, why);
        job.finish(ErrorReply.of(new PoolException(why)));
        unfinished.remove(job);
    }

    private synchronized PoolMember nextMember() {
        if (members.isEmpty()) {
            return null;
        }
        next %= members.size();
        return members.get(next++);
    }

    private void remove(PoolMember member, String why) {
        synchronized (this) {
            int index = members.indexOf(member);
            if (index < 0) {
                return;
            }
            members.remove(index);
            if (index < next) {
                next--;
            }
        }
        member.close();
        board.workerLeft(member.name);
        LOG.info(() -> "worker " + member.name + " removed: " + why);
    }

    /** The worker's lease: what it reports goes on the board; the channel's end removes it. */
    private MessageListener<Object> lease(PoolMember member) {
        return new MessageListener<>() {
            @Override
            public void onMessage(Object status) {
                String state = Messages.field(status, "state").map(String::valueOf).orElse("?");
                Long job = Messages.field(status, "job").filter(Number.class::isInstance)
                        .map(n -> ((Number) n).longValue()).orElse(null);
                board.workerReported(member.name, state, job);
            }

            @Override
            public void onEnd() {
                remove(member, "it left (closed its status channel)");
            }

            @Override
            public void onError(LibchanException error) {
                remove(member, "its session ended: " + error.getMessage());
            }
        };
    }

    /**
     * Before libchan-cdi drains the sessions (a lower priority runs first): takes no more work,
     * answers every unfinished job with an error reply and ends every worker's channels, so the
     * sessions have nothing left open and close at once.
     */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.APPLICATION)
              @BeforeDestroyed(ApplicationScoped.class) Object event) {
        closing = true;
        unfinished.forEach(job -> fail(job, "the pool is shutting down"));
        List<PoolMember> all;
        synchronized (this) {
            all = new ArrayList<>(members);
        }
        all.forEach(m -> remove(m, "the pool is shutting down"));
    }

    private static Optional<Integer> percent(Object event) {
        return Messages.field(event, "percent").filter(Number.class::isInstance)
                .map(n -> Math.max(0, Math.min(100, ((Number) n).intValue())));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static void closeChannels(Registration registration) {
        if (registration.jobs() != null) {
            registration.jobs().close();
        }
        if (registration.status() != null) {
            registration.status().close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing a subscription failed", e);
        }
    }
}
