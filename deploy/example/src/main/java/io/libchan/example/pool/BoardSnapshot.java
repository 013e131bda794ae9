package io.libchan.example.pool;

import java.util.List;

/**
 * What the pool looks like at one moment: the registered workers and the most recent jobs (newest
 * first). {@code version} grows with every change, so a watcher can drop a snapshot older than one
 * it already sent.
 */
public record BoardSnapshot(long version, List<WorkerView> workers, List<JobView> jobs) {

    /** A registered worker: its name, the server it came through, what it last reported, jobs it finished. */
    public record WorkerView(String name, String via, String state, Long job, int done) {
    }

    /**
     * A job: its task, the worker it was last given to, {@code state} ({@code submitted},
     * {@code running}, {@code done}, {@code failed}), its progress, how many workers it was given
     * to, and its result or error.
     */
    public record JobView(long id, String task, String worker, String state, int percent, int attempts,
                          Object result, String error) {
    }
}
