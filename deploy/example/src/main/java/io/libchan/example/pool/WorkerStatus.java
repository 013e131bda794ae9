package io.libchan.example.pool;

/**
 * What a worker reports on its status channel: {@code idle}, or {@code busy} with the job it works
 * on. The pool only shows it; the channel's end is what matters (see {@link Registration}).
 */
public record WorkerStatus(String state, Long job) {
    public static WorkerStatus idle() {
        return new WorkerStatus("idle", null);
    }

    public static WorkerStatus busy(long job) {
        return new WorkerStatus("busy", job);
    }
}
