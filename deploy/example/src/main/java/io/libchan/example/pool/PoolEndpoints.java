package io.libchan.example.pool;

import io.libchan.Sender;
import io.libchan.cdi.ChannelCall;
import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The pool's three endpoints, the names peers open channels with:
 * <ul>
 *   <li>{@code workers}: a worker joins with a {@link Registration}; the answer is {@link Registered}.</li>
 *   <li>{@code jobs}: a client submits a {@link JobRequest}; the {@link JobResult} (or an error reply)
 *       comes on its {@code ret}, {@link Progress} on its {@code progress}.</li>
 *   <li>{@code board}: a client sends {@code {ret}} and gets a {@link BoardSnapshot} on it now and
 *       after every change, until it goes away (the web page does this over the HTTP/1.1 event
 *       stream).</li>
 * </ul>
 * Thread-safe.
 */
@ApplicationScoped
public class PoolEndpoints {
    /** What a board watcher sends: just its reply channel. */
    public record Watch(Sender ret) {
    }

    @Inject
    WorkerPool pool;

    @Inject
    Board board;

    @Inject
    ChannelCall call;

    @ChannelEndpoint("workers")
    public Registered register(Registration registration) {
        return pool.register(registration, call.source());
    }

    @ChannelEndpoint("jobs")
    public void submit(JobRequest job) {
        pool.submit(job);
    }

    @ChannelEndpoint("board")
    public void watch(Watch watch) {
        if (watch.ret() != null) {
            board.watch(watch.ret());
        }
    }
}
