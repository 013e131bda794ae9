package io.libchan.example.client;

import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.pool.JobRequest;
import io.libchan.example.pool.JobResult;
import io.libchan.example.pool.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the pool: submits one job on a channel named {@code jobs} with a reply channel and a
 * progress channel of its own, and waits for both. Stateless.
 */
public final class JobClient {
    /** A finished job: its result and the progress events that came with it, in order. */
    public record Outcome(JobResult result, List<Progress> progress) {
    }

    private JobClient() {
    }

    /**
     * Runs {@code task} on the pool behind {@code session}.
     *
     * @throws io.libchan.RemoteErrorException when the pool or the worker answered with an error
     * @throws io.libchan.ChannelTimeoutException when nothing came within {@code timeout}
     */
    public static Outcome run(Transport session, String task, Duration timeout) {
        Sender jobs = session.newSendChannel("jobs");
        Pipe ret = Pipe.create();
        Pipe progress = Pipe.buffered(128);
        try {
            jobs.send(new JobRequest(task, progress.sender(), ret.sender()), timeout);
            Object answer = ret.receiver().receive(Object.class, timeout);
            ErrorReply.asError(answer).ifPresent(e -> {
                throw e;
            });
            JobResult result = Messages.convert(answer, JobResult.class);
            List<Progress> events = new ArrayList<>();
            try {
                while (true) {
                    events.add(progress.receiver().receive(Progress.class, timeout));
                }
            } catch (EndOfChannelException end) {
                return new Outcome(result, events);
            }
        } finally {
            jobs.close();
        }
    }
}
