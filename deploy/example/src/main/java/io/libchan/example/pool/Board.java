package io.libchan.example.pool;

import io.libchan.Sender;
import io.libchan.example.pool.BoardSnapshot.JobView;
import io.libchan.example.pool.BoardSnapshot.WorkerView;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * What the {@link WorkerPool} shows: its workers and its last {@value #JOBS_SHOWN} jobs, and the
 * clients watching them (the web page, over the HTTP/1.1 fallback's event stream; any libchan
 * client). A watcher gets the whole {@link BoardSnapshot} at once, then again after every change.
 * Thread-safe; {@code workers}, {@code jobs} and {@code version} are guarded by {@code lock}.
 */
@ApplicationScoped
public class Board {
    static final int JOBS_SHOWN = 20;

    private final Object lock = new Object();
    private final Map<String, WorkerView> workers = new LinkedHashMap<>();
    private final Map<Long, JobView> jobs = new LinkedHashMap<>();
    private long version;
    private final Set<BoardWatcher> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** The board as it is now. */
    public BoardSnapshot snapshot() {
        synchronized (lock) {
            List<JobView> newestFirst = new ArrayList<>(jobs.values());
            java.util.Collections.reverse(newestFirst);
            return new BoardSnapshot(version, List.copyOf(workers.values()), List.copyOf(newestFirst));
        }
    }

    /** Sends the board on {@code ret} now and after every change, until the client goes away or the application stops. */
    void watch(Sender ret) {
        BoardWatcher watcher = new BoardWatcher(ret, watchers::remove);
        watchers.add(watcher);
        if (closed) {
            watcher.close();
            return;
        }
        watcher.offer(snapshot());
    }

    void workerJoined(String name, String via) {
        change(() -> workers.put(name, new WorkerView(name, via, "idle", null, 0)));
    }

    void workerReported(String name, String state, Long job) {
        change(() -> workers.computeIfPresent(name, (n, w) -> new WorkerView(n, w.via(), state, job, w.done())));
    }

    void workerFinishedOne(String name) {
        change(() -> workers.computeIfPresent(name, (n, w) -> new WorkerView(n, w.via(), w.state(), w.job(), w.done() + 1)));
    }

    void workerLeft(String name) {
        change(() -> workers.remove(name));
    }

    void jobSubmitted(long id, String task) {
        change(() -> {
            jobs.put(id, new JobView(id, task, null, "submitted", 0, 0, null, null));
            while (jobs.size() > JOBS_SHOWN) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        });
    }

    void jobGiven(long id, String worker, int attempt) {
        updateJob(id, j -> new JobView(id, j.task(), worker, "running", 0, attempt, null, null));
    }

    void jobProgressed(long id, int percent) {
        updateJob(id, j -> new JobView(id, j.task(), j.worker(), j.state(), percent, j.attempts(), null, null));
    }

    void jobDone(long id, Object result) {
        updateJob(id, j -> new JobView(id, j.task(), j.worker(), "done", 100, j.attempts(), result, null));
    }

    void jobFailed(long id, String error) {
        updateJob(id, j -> new JobView(id, j.task(), j.worker(), "failed", j.percent(), j.attempts(), null, error));
    }

    private void updateJob(long id, UnaryOperator<JobView> update) {
        change(() -> jobs.computeIfPresent(id, (k, j) -> update.apply(j)));
    }

    private void change(Runnable mutation) {
        BoardSnapshot now;
        synchronized (lock) {
            mutation.run();
            version++;
            now = snapshot();
        }
        watchers.forEach(w -> w.offer(now));
    }

    /**
     * Ends every watch before libchan-cdi drains the sessions (a lower priority runs first), so the
     * watchers see their reply channel end instead of waiting for the sessions to be cut.
     */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.APPLICATION)
              @BeforeDestroyed(ApplicationScoped.class) Object event) {
        closed = true;
        watchers.forEach(BoardWatcher::close);
    }
}
