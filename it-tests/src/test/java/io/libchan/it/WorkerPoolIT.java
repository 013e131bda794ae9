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
    Transport h2cWorker;
    Transport wsWorker;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    @BeforeEach
    void connect() {
        client = Libchan.connect(DemoWar.http("h2c"));
        // the raw listener is anonymous and serves echo and hello only: workers join through the mount
        h2cWorker = Libchan.connect(DemoWar.http("h2c"));
        wsWorker = Libchan.connect(DemoWar.http("ws"));
    }

    @AfterEach
    void disconnect() {
        h2cWorker.close();
        wsWorker.close();
        client.close();
    }

    @Test
    void jobsGoToAnHttp2AndAWebSocketWorkerInTurnWithProgress() {
        PoolChecks.jobsGoToTheWorkersInTurnWithProgress(client, h2cWorker, wsWorker);
    }

    @Test
    void aWorkerThatLeavesIsRemovedAndTheOtherTakesTheJobs() {
        PoolChecks.aWorkerThatLeavesIsRemovedAndTheOthersTakeTheJobs(client, wsWorker, h2cWorker);
    }

    @Test
    void aWorkerWhoseHttp2SessionIsLostIsRemoved() {
        PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, h2cWorker, true);
    }

    @Test
    void aWorkerWhoseWebSocketSessionIsLostIsRemoved() {
        PoolChecks.aWorkerWhoseSessionEndsIsRemoved(client, wsWorker, true);
    }

    @Test
    void aJobLostWithItsWorkerGoesToTheNextWorker() {
        PoolChecks.aJobLostWithItsWorkerGoesToTheNextWorker(client, h2cWorker, wsWorker);
    }

    @Test
    void aWorkersFailureReachesTheClient() {
        PoolChecks.aWorkersFailureReachesTheClient(client, wsWorker);
    }

    /** The leak of issue 16: an anonymous raw peer registered as a worker and got other callers' jobs. */
    @Test
    void anAnonymousRawPeerCannotRegisterAsAWorker() {
        try (Transport raw = Libchan.connect(DemoWar.libchanUri())) {
            io.libchan.Pipe reply = io.libchan.Pipe.create();
            io.libchan.Sender workers = raw.newSendChannel("workers");
            workers.send(java.util.Map.of("name", "mallory", "ret", reply.sender()));
            Object answer = reply.receiver().receive(Object.class, java.time.Duration.ofSeconds(20));
            org.junit.jupiter.api.Assertions.assertEquals(io.libchan.cdi.UnknownEndpointException.class.getName(),
                    io.libchan.ErrorReply.asError(answer).map(e -> e.type()).orElse(String.valueOf(answer)));
        }
    }
}
