package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.ListenerState;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.cdi.internal.ListenerLiveness;
import io.libchan.cdi.internal.ListenerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MicroProfile Health checks of libchan-cdi, called as a server's MicroProfile Health calls
 * them: readiness ({@code libchan-servers}) is UP while every server's listener is open, accepting
 * and under its connection limit, DOWN when a listener is closed, full or not there yet; liveness
 * ({@code libchan-accept-loops}) is DOWN when a listener was closed under the application or a
 * session is stuck in its drain, and stays UP for a full server.
 */
class HealthChecksTest {
    private static final Duration WAIT = Await.TIMEOUT;
    private TestContainer app;

    @ApplicationScoped
    static class Desk {
        final BlockingQueue<SessionOpened> opened = new LinkedBlockingQueue<>();

        @ChannelEndpoint("greet")
        String greet(String name) {
            return "hello " + name;
        }

        void opened(@Observes SessionOpened e) {
            opened.add(e);
        }

        BlockingQueue<SessionOpened> opened() {
            return opened;
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private void start() {
        app = TestContainer.start(Map.of("libchan.server.web.default-endpoint", "greet"),
                Desk.class, ListenerReadiness.class, ListenerLiveness.class);
    }

    private HealthCheckResponse readiness() {
        return app.select(HealthCheck.class, Readiness.Literal.INSTANCE).call();
    }

    private HealthCheckResponse liveness() {
        return app.select(HealthCheck.class, Liveness.Literal.INSTANCE).call();
    }

    private static Object data(HealthCheckResponse r, String key) {
        return r.getData().orElseThrow().get(key);
    }

    private void awaitSession() throws InterruptedException {
        Await.next(app.select(Desk.class).opened(), SessionOpened.class, e -> true);
    }

    @Test
    void anAcceptingServerIsReadyAndAliveAndClosingItsListenerMakesBothDown() throws Exception {
        start();
        Listener listener = Libchan.listen("tcp://127.0.0.1:0");
        app.select(ChannelServers.class).serve("web", listener);
        HealthCheckResponse ready = readiness();
        assertEquals(ListenerReadiness.NAME, ready.getName());
        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus(), ready.getData().toString());
        assertEquals("UP", data(ready, "web"));
        assertEquals(0L, data(ready, "web.connections"));
        try (Transport client = Libchan.connect(listener.uri().toString())) {
            client.newSendChannel().send("ada");
            awaitSession();
            assertEquals(1L, data(readiness(), "web.connections"));
        }
        assertEquals(HealthCheckResponse.Status.UP, liveness().getStatus());

        listener.close();
        HealthCheckResponse notReady = readiness();
        assertEquals(HealthCheckResponse.Status.DOWN, notReady.getStatus());
        assertEquals("DOWN: listener closed", data(notReady, "web"));
        HealthCheckResponse dead = liveness();
        assertEquals(ListenerLiveness.NAME, dead.getName());
        assertEquals(HealthCheckResponse.Status.DOWN, dead.getStatus());
        assertEquals("DOWN: its listener was closed", data(dead, "web"));
    }

    @Test
    void aServerAtItsConnectionLimitIsNotReadyButAlive() throws Exception {
        start();
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.builder().maxConnections(1).build());
        app.select(ChannelServers.class).serve("web", listener);
        try (Transport client = Libchan.connect(listener.uri().toString())) {
            client.newSendChannel().send("ada");
            awaitSession();
            HealthCheckResponse full = readiness();
            assertEquals(HealthCheckResponse.Status.DOWN, full.getStatus());
            assertEquals("DOWN: at its connection limit of 1", data(full, "web"));
            assertEquals(HealthCheckResponse.Status.UP, liveness().getStatus());
        }
    }

    @Test
    void aServerWaitingForItsListenerIsNotReadyYetButAlive() {
        start();
        HealthCheckResponse waiting = readiness();
        assertEquals(HealthCheckResponse.Status.DOWN, waiting.getStatus());
        assertEquals("DOWN: no listener yet", data(waiting, "web"));
        assertEquals(HealthCheckResponse.Status.UP, liveness().getStatus());
    }

    @Test
    void aSessionStuckInItsDrainMakesLivenessDown() {
        start();
        Listener stuck = new StateListener(Libchan.listen("inmem:health-stuck"),
                new ListenerState(true, true, true, 1, 10, 1));
        app.select(ChannelServers.class).serve("web", stuck);
        HealthCheckResponse dead = liveness();
        assertEquals(HealthCheckResponse.Status.DOWN, dead.getStatus());
        assertTrue(String.valueOf(data(dead, "web")).contains("stuck in their drain"), dead.getData().toString());
        assertEquals(HealthCheckResponse.Status.UP, readiness().getStatus(), "it still takes sessions");
    }

    @Test
    void aCheckKeptAfterItsApplicationStoppedStillAnswers() {
        start();
        HealthCheck readiness = app.select(HealthCheck.class, Readiness.Literal.INSTANCE);
        HealthCheck liveness = app.select(HealthCheck.class, Liveness.Literal.INSTANCE);
        app.close();
        app = null;
        // WildFly 38 keeps calling the checks of a deployment that failed to start: no exception, no false alarm
        assertEquals(HealthCheckResponse.Status.UP, liveness.call().getStatus());
        assertEquals(ListenerReadiness.NAME, readiness.call().getName());
    }

    /** A listener that reports {@code state}, for what a real one cannot be made to do in a test. */
    private static final class StateListener implements Listener {
        private final Listener delegate;
        private final ListenerState state;

        StateListener(Listener delegate, ListenerState state) {
            this.delegate = delegate;
            this.state = state;
        }

        @Override
        public Optional<ListenerState> state() {
            return Optional.of(state);
        }

        @Override
        public URI uri() {
            return delegate.uri();
        }

        @Override
        public Transport accept() {
            return delegate.accept();
        }

        @Override
        public Transport accept(Duration timeout) {
            return delegate.accept(timeout);
        }

        @Override
        public CompletableFuture<Transport> acceptAsync() {
            return delegate.acceptAsync();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
