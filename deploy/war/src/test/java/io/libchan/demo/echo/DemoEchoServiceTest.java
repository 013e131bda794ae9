package io.libchan.demo.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo service on a real loopback socket in a plain JVM, served by an ordinary thread pool. */
class DemoEchoServiceTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Listener listener;
    private DemoEchoService echo;
    private String uri;

    @BeforeEach
    void start() {
        listener = Libchan.listen("tcp://127.0.0.1:0");
        uri = listener.uri().toString();
        echo = DemoEchoService.start(listener, threads);
    }

    @AfterEach
    void stop() throws InterruptedException {
        echo.close(Duration.ofSeconds(1));
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void javaClientPassesEveryEchoCheck() {
        try (Transport session = Libchan.connect(uri)) {
            EchoClientChecks.all(session);
        }
    }

    @Test
    void closeEndsAnOpenClientSessionCleanlyAndPromptly() throws Exception {
        try (OpenClientSession client = OpenClientSession.open(uri)) {
            assertEquals(1, echo.openSessions());
            long start = System.nanoTime();
            assertTrue(echo.close(Duration.ofSeconds(5)), "every echo task ended");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "close took " + took);
            client.assertEndedCleanly();
        }
    }

    @Test
    void sessionIsRefusedWhenNoThreadIsFree() {
        // one thread, taken by the accept loop: no session can be served
        ThreadPoolExecutor one = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
        Listener small = Libchan.listen("tcp://127.0.0.1:0");
        DemoEchoService starved = DemoEchoService.start(small, one);
        try (Transport session = Libchan.connect(small.uri().toString())) {
            assertThrows(ConnectionLostException.class, () -> session.waitReceiveChannel(EchoClientChecks.WAIT));
        } finally {
            assertTrue(starved.close(Duration.ofSeconds(5)));
            one.shutdownNow();
        }
    }

    @Test
    void noSessionIsServedOnceClosed() {
        assertTrue(echo.close(Duration.ofSeconds(1)));
        EchoClientChecks.noSessionIsServedAt(uri);
    }
}
