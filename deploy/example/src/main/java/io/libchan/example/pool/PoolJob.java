package io.libchan.example.pool;

import io.libchan.LibchanException;
import io.libchan.Sender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One submitted job, from submission until its client has its answer: the client's channels, and
 * how many workers it was given to. {@link #finish} answers exactly once; what comes later (a
 * result from a worker thought lost, an answer after shutdown) is dropped. Thread-safe.
 */
final class PoolJob {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    final long id;
    final String task;
    private final Sender progress;
    private final Sender ret;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile int attempts;
    private volatile boolean progressBroken;

    PoolJob(long id, String task, Sender progress, Sender ret) {
        this.id = id;
        this.task = task;
        this.progress = progress;
        this.ret = ret;
    }

    int attempts() {
        return attempts;
    }

    int attempted() {
        return ++attempts;
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Relays a progress event to the client, if it asked for them and is still listening. Blocks briefly. */
    void progressed(Progress event) {
        if (progress == null || progressBroken || finished.get()) {
            return;
        }
        try {
            progress.send(event, SEND_TIMEOUT);
        } catch (LibchanException e) {
            progressBroken = true; // the client stopped listening to progress; the result still goes out
        }
    }

    /** Sends {@code answer} (a result or an error reply) and ends the client's channels; false if already finished. Blocks briefly. */
    boolean finish(Object answer) {
        if (!finished.compareAndSet(false, true)) {
            return false;
        }
        if (progress != null) {
            progress.close();
        }
        if (ret != null) {
            try {
                ret.send(answer, SEND_TIMEOUT);
            } catch (LibchanException e) {
                // the client went away: nobody is left to tell
            } finally {
                ret.close();
            }
        }
        return true;
    }
}
