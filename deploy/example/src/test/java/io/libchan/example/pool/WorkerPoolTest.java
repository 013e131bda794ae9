package io.libchan.example.pool;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.ExampleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool in Weld SE, its client and workers each on a TCP session of their own, as separate processes would be. */
@Timeout(60)
class WorkerPoolTest {
    static ExampleServer server;
    Transport client;
    Transport workerA;
    Transport workerB;

    @BeforeAll
    static void boot() {
        server = ExampleServer.start();
    }

    @AfterAll
    static void shutdown() {
        server.close();
    }

    @BeforeEach
    void connect() {
        client = Libchan.connect(server.uri());
        workerA = Libchan.connect(server.uri());
        workerB = Libchan.connect(server.uri());
    }

    @AfterEach
    void disconnect() {
        workerA.close();
        workerB.close();
        client.close();
    }

    @Test
    void jobsGoToTheWorkersInTurnWithProgress() {
        PoolChecks.jobsGoToTheWorkersInTurnWithProgress(client, workerA, workerB);
    }

    @Test
    void aWorkerThatLeavesIsRemovedAndTheOthersTakeTheJobs() {
        PoolChecks.aWorkerThatLeavesIsRemovedAndTheOthersTakeTheJobs(client, workerA, workerB);
    }

    @Test
    void aWorkerWhoseSessionIsClosedIsRemoved() {
        try (Transport closing = Libchan.connect(server.uri() + "?drainTimeout=500ms")) {
            PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, closing, false);
        }
    }

    @Test
    void aWorkerWhoseSessionIsLostIsRemoved() {
        PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, workerA, true);
    }

    @Test
    void aJobLostWithItsWorkerGoesToTheNextWorker() {
        PoolChecks.aJobLostWithItsWorkerGoesToTheNextWorker(client, workerA, workerB);
    }

    @Test
    void aJobWithNoWorkerGetsAnErrorReply() {
        PoolChecks.aJobWithNoWorkerGetsAnErrorReply(client);
    }

    @Test
    void aWorkersFailureReachesTheClient() {
        PoolChecks.aWorkersFailureReachesTheClient(client, workerA);
    }

    @Test
    void aTakenNameIsRefused() {
        PoolChecks.aTakenNameIsRefused(client, workerA, workerB);
    }
}
