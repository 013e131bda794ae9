package io.libchan.example.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.RemoteErrorException;
import io.libchan.Transport;
import io.libchan.example.client.JobClient;
import io.libchan.example.client.PoolWorker;
import io.libchan.example.client.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool as its clients and workers see it, each check on sessions the caller opens (so
 * the same checks run in Weld SE over TCP and against the WAR in WildFly over TCP, WebSocket and
 * HTTP/2). Every check starts and ends with an empty pool (it waits for the board to show it), so
 * checks may share one server, one after the other.
 */
public final class PoolChecks {
    /** How long any one step may take. */
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private PoolChecks() {
    }

    /** A worker name no other check uses. */
    public static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /**
     * Two workers, each on its own session, take jobs in turn; each client gets the result of the
     * worker that did its job, after progress events that end at 100.
     */
    public static void jobsGoToTheWorkersInTurnWithProgress(Transport client, Transport sessionA, Transport sessionB) {
        try (BoardWatch board = emptyPool(client);
             PoolWorker a = PoolWorker.join(sessionA, unique("a"), Work.shout());
             PoolWorker b = PoolWorker.join(sessionB, unique("b"), Work.shout())) {
            board.until("both workers", s -> BoardWatch.workers(s).containsAll(List.of(a.name(), b.name())));
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JobClient.Outcome outcome = JobClient.run(client, "job number " + i, WAIT);
                assertEquals("JOB NUMBER " + i, outcome.result().result());
                assertEquals(List.of(33, 66, 100), outcome.progress().stream().map(Progress::percent).toList());
                servedBy.add(outcome.result().worker());
            }
            assertEquals(Set.of(a.name(), b.name()), Set.copyOf(servedBy), "jobs went to " + servedBy);
            assertNotEquals(servedBy.get(0), servedBy.get(1), "jobs went to " + servedBy);
            assertEquals(servedBy.subList(0, 2), servedBy.subList(2, 4), "jobs went to " + servedBy);
        }
        try (BoardWatch board = BoardWatch.open(client)) {
            board.until("no worker left", s -> s.workers().isEmpty());
        }
    }

    /** A worker that leaves (closes its status channel) is off the board at once, and the next jobs go to the other. */
    public static void aWorkerThatLeavesIsRemovedAndTheOthersTakeTheJobs(Transport client, Transport sessionA,
                                                                         Transport sessionB) {
        try (BoardWatch board = emptyPool(client);
             PoolWorker stays = PoolWorker.join(sessionB, unique("stays"), Work.shout())) {
            PoolWorker leaves = PoolWorker.join(sessionA, unique("leaves"), Work.shout());
            board.until("both workers", s -> s.workers().size() == 2);
            leaves.close();
            board.until(leaves.name() + " gone", s -> BoardWatch.workers(s).equals(List.of(stays.name())));
            for (int i = 0; i < 2; i++) {
                assertEquals(stays.name(), JobClient.run(client, "after leaving", WAIT).result().worker());
            }
        }
    }

    /**
     * A worker whose session ends is off the board, with no job sent to find out: at once when the
     * session is lost ({@code abort}); when it is closed gracefully while the worker still holds its
     * channels, once the session's drain timeout has cut them (so give it a short one).
     */
    public static void aWorkerWhoseSessionEndsIsRemoved(Transport client, Transport workerSession, boolean abort) {
        try (BoardWatch board = emptyPool(client)) {
            PoolWorker worker = PoolWorker.join(workerSession, unique("ends"), Work.shout());
            board.until(worker.name() + " registered", s -> BoardWatch.workers(s).contains(worker.name()));
            if (abort) {
                workerSession.abort();
            } else {
                workerSession.close();
            }
            board.until(worker.name() + " gone", s -> s.workers().isEmpty());
            worker.close();
        }
    }

    /**
     * A worker that dies in the middle of a job (its session is cut before it answers) loses the job
     * to the next worker: both jobs are answered by the survivor, one of them on its second attempt.
     */
    public static void aJobLostWithItsWorkerGoesToTheNextWorker(Transport client, Transport dyingSession,
                                                                Transport healthySession) {
        try (BoardWatch board = emptyPool(client);
             PoolWorker dying = PoolWorker.join(dyingSession, unique("dies"), (task, progress) -> {
                 progress.accept(10);
                 dyingSession.abort();
                 return "never delivered";
             });
             PoolWorker healthy = PoolWorker.join(healthySession, unique("healthy"), Work.shout())) {
            board.until("both workers", s -> s.workers().size() == 2);
            for (int i = 0; i < 2; i++) {
                assertEquals(healthy.name(), JobClient.run(client, "survive " + i, WAIT).result().worker());
            }
            board.until(dying.name() + " gone, and a job done on its second attempt",
                    s -> BoardWatch.workers(s).equals(List.of(healthy.name()))
                            && s.jobs().stream().limit(2).anyMatch(j -> j.attempts() == 2 && j.state().equals("done")));
        }
    }

    /** With no worker registered, a job is answered at once with the pool's error. */
    public static void aJobWithNoWorkerGetsAnErrorReply(Transport client) {
        try (BoardWatch board = emptyPool(client)) {
            RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> JobClient.run(client, "anyone?", WAIT));
            assertEquals(PoolException.class.getName(), e.type());
            assertTrue(e.getMessage().contains("no worker is registered"), e.getMessage());
            board.until("the job failed", s -> s.jobs().get(0).state().equals("failed"));
        }
    }

    /** A worker's failure reaches the client as an error reply naming what the worker threw. */
    public static void aWorkersFailureReachesTheClient(Transport client, Transport workerSession) {
        try (BoardWatch board = emptyPool(client);
             PoolWorker worker = PoolWorker.join(workerSession, unique("fails"), Work.shout())) {
            board.until("the worker", s -> BoardWatch.workers(s).equals(List.of(worker.name())));
            RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> JobClient.run(client, "boom", WAIT));
            assertEquals(IllegalArgumentException.class.getName(), e.type());
            board.until("the job failed", s -> s.jobs().get(0).state().equals("failed"));
        }
    }

    /** A second worker with a registered worker's name is refused with an error reply. */
    public static void aTakenNameIsRefused(Transport client, Transport sessionA, Transport sessionB) {
        String name = unique("twice");
        try (BoardWatch board = emptyPool(client); PoolWorker first = PoolWorker.join(sessionA, name, Work.shout())) {
            RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> PoolWorker.join(sessionB, name, Work.shout()));
            assertEquals(PoolException.class.getName(), e.type());
            assertEquals(List.of(first.name()), BoardWatch.workers(board.until("one worker", s -> s.workers().size() == 1)));
        }
    }

    private static BoardWatch emptyPool(Transport client) {
        BoardWatch board = BoardWatch.open(client);
        board.until("an empty pool", s -> s.workers().isEmpty());
        return board;
    }
}
