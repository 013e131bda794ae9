package io.libchan.it;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.pool.PoolChecks;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker pool of the deployed WAR, end to end: a client over HTTP/2 (h2c on WildFly's HTTP
 * port), one worker over the raw TCP server and one over WebSocket, each on a session of its own,
 * as separate processes would be.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WorkerPoolIT {
    Transport client;
    Transport tcpWorker;
    Transport wsWorker;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @BeforeEach
    void connect() {
        client = Libchan.connect(DemoWar.http("h2c"));
        tcpWorker = Libchan.connect(DemoWar.libchanUri());
        wsWorker = Libchan.connect(DemoWar.http("ws"));
    }

    @AfterEach
    void disconnect() {
        tcpWorker.close();
        wsWorker.close();
        client.close();
    }

    @Test
    void jobsGoToATcpAndAWebSocketWorkerInTurnWithProgress() {
        PoolChecks.jobsGoToTheWorkersInTurnWithProgress(client, tcpWorker, wsWorker);
    }

    @Test
    void aWorkerThatLeavesIsRemovedAndTheOtherTakesTheJobs() {
        PoolChecks.aWorkerThatLeavesIsRemovedAndTheOthersTakeTheJobs(client, wsWorker, tcpWorker);
    }

    @Test
    void aWorkerWhoseTcpSessionIsLostIsRemoved() {
        PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, tcpWorker, true);
    }

    @Test
    void aWorkerWhoseWebSocketSessionIsLostIsRemoved() {
        PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, wsWorker, true);
    }

    @Test
    void aJobLostWithItsWorkerGoesToTheNextWorker() {
        PoolChecks.aJobLostWithItsWorkerGoesToTheNextWorker(client, tcpWorker, wsWorker);
    }

    @Test
    void aWorkersFailureReachesTheClient() {
        PoolChecks.aWorkersFailureReachesTheClient(client, wsWorker);
    }
}
