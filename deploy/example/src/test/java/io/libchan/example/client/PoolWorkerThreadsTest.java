package io.libchan.example.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Transport;
import io.libchan.example.ExampleServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers take their jobs by push: however many have joined, they share a bounded pool and an idle one holds no thread. */
@Timeout(60)
class PoolWorkerThreadsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void manyWorkersShareAFewThreads() {
        int count = 3 * WorkerThreads.THREADS;
        List<PoolWorker> workers = new ArrayList<>();
        try (ExampleServer server = ExampleServer.start();
             Transport workerSession = Libchan.connect(server.uri());
             Transport client = Libchan.connect(server.uri())) {
            for (int i = 0; i < count; i++) {
                workers.add(PoolWorker.join(workerSession, "w" + i, Work.shout()));
            }
            for (int i = 0; i < count; i++) { // round robin: every worker does one job
                assertEquals("JOB " + i, JobClient.run(client, "job " + i, WAIT).result().result());
            }
            long threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("pool-worker-")).count();
            assertTrue(threads <= WorkerThreads.THREADS, threads + " threads for " + count + " workers");
            workers.forEach(PoolWorker::close);
            assertTrue(workers.stream().allMatch(w -> w.ended().isDone() && w.done() == 1));
        }
    }
}
