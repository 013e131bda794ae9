package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelServers#serve(String, Listener)}: a listener the application opened (here an
 * {@code inmem:} one, standing in for libchan-undertow's servlet endpoint) is served like a
 * {@code libchan.server.<name>} with a {@code listen} key: routing with the configured default endpoint,
 * session events and {@link ChannelCall#source()} under its name, the sessions' principal in
 * {@link ChannelCall#peerPrincipal()}, and the graceful drain at shutdown. {@link ChannelServers#uri(String)}
 * gives the port a {@code :0} server was bound to.
 */
class HandedOverListenerTest {
    private static final Duration WAIT = Await.TIMEOUT;
    private TestContainer app;

    @ApplicationScoped
    static class Desk {
        @Inject
        ChannelCall call;
        final List<SessionOpened> opened = new CopyOnWriteArrayList<>();
        final List<SessionClosed> closed = new CopyOnWriteArrayList<>();
        final CountDownLatch slowStarted = new CountDownLatch(1);
        final CountDownLatch releaseSlow = new CountDownLatch(1);
        final List<String> handled = new CopyOnWriteArrayList<>();

        @ChannelEndpoint("greet")
        String greet(Map<String, Object> message) {
            return "hello " + message.get("name") + " from " + call.source() + " as "
                    + call.peerPrincipal().map(Principal::getName).orElse("nobody");
        }

        @ChannelEndpoint(value = "work", maxConcurrency = 1)
        void work(String job) throws InterruptedException {
            if (job.equals("slow")) {
                slowStarted.countDown();
                releaseSlow.await(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            }
            handled.add(job);
        }

        void opened(@Observes SessionOpened e) {
            opened.add(e);
        }

        void closed(@Observes SessionClosed e) {
            closed.add(e);
        }

        List<SessionOpened> opened() {
            return opened;
        }

        List<SessionClosed> closed() {
            return closed;
        }

        List<String> handled() {
            return handled;
        }

        CountDownLatch slowStarted() {
            return slowStarted;
        }

        CountDownLatch releaseSlow() {
            return releaseSlow;
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static Object ask(Sender channel, String name) {
        Pipe reply = Pipe.create();
        channel.send(Map.of("name", name, "ret", reply.sender()));
        return reply.receiver().receive(Object.class, WAIT);
    }

    @Test
    void sessionsOfAHandedOverListenerAreRoutedWithTheConfiguredDefaultEndpointAndEvents() {
        app = TestContainer.start(Map.of("libchan.server.web.default-endpoint", "greet"), Desk.class);
        ChannelServers servers = app.select(ChannelServers.class);
        Listener listener = Libchan.listen("inmem:handed-over-routing");
        servers.serve("web", listener);
        assertEquals(listener.uri(), servers.uri("web"));
        try (Transport client = Libchan.connect("inmem:handed-over-routing")) {
            assertEquals("hello ada from web as nobody", ask(client.newSendChannel("greet"), "ada"));
            assertEquals("hello bob from web as nobody", ask(client.newSendChannel(), "bob"));
            assertEquals(UnknownEndpointException.class.getName(),
                    ErrorReply.asError(ask(client.newSendChannel("nope"), "x")).orElseThrow().type());
        }
        Desk desk = app.select(Desk.class);
        // SessionOpened is fired on the executor while the channels are already routed
        Await.until("the SessionOpened event", () -> !desk.opened().isEmpty());
        assertEquals("web", desk.opened().get(0).name());
        assertEquals(SessionRole.SERVER, desk.opened().get(0).role());
        assertEquals(listener.uri(), desk.opened().get(0).uri());
        Await.until("the SessionClosed event", () -> !desk.closed().isEmpty());
        assertEquals("web", desk.closed().get(0).name());
    }

    @Test
    void thePrincipalOfEachSessionReachesTheEndpointAndTheEvent() {
        app = TestContainer.start(Map.of("libchan.server.web.default-endpoint", "greet"), Desk.class);
        Listener listener = new Authenticating(Libchan.listen("inmem:handed-over-principal"), "carol");
        app.select(ChannelServers.class).serve("web", listener);
        try (Transport client = Libchan.connect("inmem:handed-over-principal")) {
            assertEquals("hello ada from web as carol", ask(client.newSendChannel(), "ada"));
        }
        Desk desk = app.select(Desk.class);
        Await.until("the SessionOpened event", () -> !desk.opened().isEmpty()); // fired on the executor
        assertEquals(Optional.of("carol"), desk.opened().get(0).peerPrincipal().map(Principal::getName));
    }

    @Test
    void aNameWithoutConfigurationIsServedWithTheDefaults() {
        app = TestContainer.start(Map.of(), Desk.class);
        app.select(ChannelServers.class).serve("adhoc", Libchan.listen("inmem:handed-over-adhoc"));
        try (Transport client = Libchan.connect("inmem:handed-over-adhoc")) {
            assertEquals("hello cy from adhoc as nobody", ask(client.newSendChannel("greet"), "cy"));
            // two endpoints and no default-endpoint: an unnamed channel has nowhere to go
            assertEquals(UnknownEndpointException.class.getName(),
                    ErrorReply.asError(ask(client.newSendChannel(), "x")).orElseThrow().type());
        }
    }

    @Test
    void shutdownClosesTheListenerHandlesWhatIsQueuedAndEndsTheSessionCleanly() throws Exception {
        app = TestContainer.start(Map.of("libchan.server.web.drain-timeout", "5s"), Desk.class);
        app.select(ChannelServers.class).serve("web", Libchan.listen("inmem:handed-over-drain"));
        Desk desk = app.select(Desk.class);
        List<String> handled = desk.handled(); // the list itself: the bean is gone after shutdown
        CountDownLatch releaseSlow = desk.releaseSlow();
        Transport client = Libchan.connect("inmem:handed-over-drain");
        Sender work = client.newSendChannel("work");
        for (String job : List.of("slow", "second", "third")) {
            work.send(job);
        }
        assertTrue(desk.slowStarted().await(WAIT.toNanos(), TimeUnit.NANOSECONDS));

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(app::close);
        Await.until("the listener to be closed", () -> {
            try {
                Libchan.connect("inmem:handed-over-drain").close();
                return false;
            } catch (ConnectionLostException e) {
                return true;
            }
        });
        releaseSlow.countDown();
        shutdown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of("slow", "second", "third"), handled);
        assertThrows(ChannelClosedException.class, () -> client.waitReceiveChannel(WAIT), "the session ends with a GOAWAY");
        app = null;
    }

    @Test
    void uriGivesThePortAServerOnPortZeroWasBoundTo() {
        app = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true", "libchan.server.raw.endpoints", "greet,work",
                "libchan.server.raw.default-endpoint", "greet"), Desk.class);
        URI raw = app.select(ChannelServers.class).uri("raw");
        assertEquals("tcp", raw.getScheme());
        assertTrue(raw.getPort() > 0, raw.toString());
        try (Transport client = Libchan.connect(raw.toString())) {
            assertEquals("hello dee from raw as nobody", ask(client.newSendChannel(), "dee"));
        }
    }

    @Test
    void misusesAreRefusedNamingTheServer() {
        app = TestContainer.start(Map.of("libchan.server.raw.listen", "inmem:handed-over-configured",
                "libchan.server.web.default-endpoint", "greet"), Desk.class);
        ChannelServers servers = app.select(ChannelServers.class);
        try (Listener other = Libchan.listen("inmem:handed-over-other")) {
            IllegalArgumentException listens = assertThrows(IllegalArgumentException.class, () -> servers.serve("raw", other));
            assertTrue(listens.getMessage().contains("libchan.server.raw.listen"), listens.getMessage());
            IllegalStateException notYet = assertThrows(IllegalStateException.class, () -> servers.uri("web"));
            assertTrue(notYet.getMessage().contains("'web'"), notYet.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> servers.uri("nope"));
            assertTrue(unknown.getMessage().contains("[raw, web]"), unknown.getMessage());
            servers.serve("web", Libchan.listen("inmem:handed-over-first"));
            assertThrows(IllegalStateException.class, () -> servers.serve("web", other));
        }
    }

    /** A listener that authenticates its peers, as an HTTP endpoint behind BASIC auth does: every session has a principal. */
    private record Authenticating(Listener listener, String user) implements Listener {
        @Override
        public URI uri() {
            return listener.uri();
        }

        @Override
        public Transport accept() {
            return new WithPrincipal(listener.accept(), () -> user);
        }

        @Override
        public Transport accept(Duration timeout) {
            return new WithPrincipal(listener.accept(timeout), () -> user);
        }

        @Override
        public CompletableFuture<Transport> acceptAsync() {
            return listener.acceptAsync().thenApply(t -> new WithPrincipal(t, () -> user));
        }

        @Override
        public void close() {
            listener.close();
        }
    }

    /** A session that says who its peer is, as an HTTP door's does. */
    private static final class WithPrincipal extends io.libchan.internal.transport.ForwardingTransport {
        private final Principal principal;

        WithPrincipal(Transport session, Principal principal) {
            super(session);
            this.principal = principal;
        }

        @Override
        public Optional<Principal> peerPrincipal() {
            return Optional.of(principal);
        }
    }
}
