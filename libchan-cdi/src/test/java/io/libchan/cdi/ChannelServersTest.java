package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelServers}: a session accepted elsewhere (here an {@code inmem:} listener standing in for
 * an HTTP endpoint) is served by the application's endpoints that its route exposes, with the peer's
 * principal and roles reaching {@link ChannelCall}, and {@code @RolesAllowed} checked against those roles.
 */
class ChannelServersTest {
    private static final URI ROUTE_URI = URI.create("http://127.0.0.1/api/libchan");
    private TestContainer app;
    private Listener listener;
    private ChannelServers servers;

    record Name(String name) {
    }

    @ApplicationScoped
    static class Desk {
        @Inject
        ChannelCall call;
        final List<SessionOpened> opened = new CopyOnWriteArrayList<>();
        final List<SessionClosed> closed = new CopyOnWriteArrayList<>();

        @ChannelEndpoint("greet")
        String greet(Name who) {
            return "hello " + who.name() + " from " + call.source() + ", admin=" + call.isPeerInRole("admin");
        }

        @ChannelEndpoint("audit")
        @RolesAllowed({"admin", "auditor"})
        String audit() {
            return "audited";
        }

        @ChannelEndpoint("internal")
        String internal() {
            return "internal";
        }

        @ChannelEndpoint("sealed")
        @DenyAll
        String sealed() {
            return "never";
        }

        void opened(@jakarta.enterprise.event.Observes SessionOpened e) {
            opened.add(e);
        }

        void closed(@jakarta.enterprise.event.Observes SessionClosed e) {
            closed.add(e);
        }

        List<SessionOpened> opened() {
            return opened;
        }

        List<SessionClosed> closed() {
            return closed;
        }
    }

    @BeforeEach
    void start() {
        app = TestContainer.start(Map.of(), Desk.class);
        servers = app.select(ChannelServers.class);
        listener = Libchan.listen("inmem:channel-servers-test");
    }

    @AfterEach
    void stop() {
        listener.close();
        app.close();
    }

    /** A client session whose server side the application serves with {@code route}. */
    private Transport connect(ChannelServers.Route route) {
        Transport client = Libchan.connect("inmem:channel-servers-test");
        servers.serve(listener.accept(), route);
        return client;
    }

    private static ChannelServers.Route route(Set<String> endpoints, Set<String> roles) {
        return new ChannelServers.Route("rest", ROUTE_URI, endpoints, Optional.of("greet"), roles);
    }

    private static Object ask(Sender channel, Object message) {
        Pipe reply = Pipe.create();
        channel.send(Map.of("name", String.valueOf(message), "ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    private static String errorType(Object reply) {
        return ErrorReply.asError(reply).orElseThrow(() -> new AssertionError("not an error: " + reply)).type();
    }

    @Test
    void listsEndpointsAndTheRolesTheirAnnotationsName() {
        assertEquals(Set.of("audit", "greet", "internal", "sealed"), servers.endpoints());
        assertEquals(Set.of("admin", "auditor"), servers.roles());
    }

    @Test
    void routesNamedAndUnnamedChannelsToTheExposedEndpoints() {
        try (Transport client = connect(route(Set.of("greet"), Set.of()))) {
            assertEquals("hello ada from rest, admin=false", ask(client.newSendChannel("greet"), "ada"));
            assertEquals("hello bob from rest, admin=false", ask(client.newSendChannel(), "bob"));
        }
    }

    @Test
    void endpointsOutsideTheRouteAreUnknownToThePeer() {
        try (Transport client = connect(route(Set.of("greet"), Set.of()))) {
            assertEquals(UnknownEndpointException.class.getName(), errorType(ask(client.newSendChannel("internal"), "x")));
        }
    }

    @Test
    void rolesAllowedRefusesAPeerWithoutTheRoleAndAdmitsOneWithIt() {
        Set<String> all = Set.of("greet", "audit", "sealed");
        try (Transport plain = connect(route(all, Set.of()));
             Transport auditor = connect(route(all, Set.of("auditor")))) {
            assertEquals(EndpointForbiddenException.class.getName(), errorType(ask(plain.newSendChannel("audit"), "x")));
            assertEquals("audited", ask(auditor.newSendChannel("audit"), "x"));
            assertEquals(EndpointForbiddenException.class.getName(), errorType(ask(auditor.newSendChannel("sealed"), "x")));
        }
        try (Transport admin = connect(route(all, Set.of("admin")))) {
            assertEquals("hello cy from rest, admin=true", ask(admin.newSendChannel("greet"), "cy"));
        }
    }

    @Test
    void sessionEventsAreFiredWithTheRouteSource() throws Exception {
        Desk desk = app.select(Desk.class);
        Transport client = Libchan.connect("inmem:channel-servers-test");
        var ended = servers.serve(listener.accept(), route(Set.of("greet"), Set.of())).toCompletableFuture();
        assertEquals("rest", desk.opened().get(0).name());
        assertEquals(SessionRole.SERVER, desk.opened().get(0).role());
        client.close();
        ended.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Await.until("the SessionClosed event", () -> !desk.closed().isEmpty());
        assertEquals(ROUTE_URI, desk.closed().get(0).uri());
    }

    @Test
    void aRouteNamingAnUnknownEndpointIsRefused() {
        Transport client = Libchan.connect("inmem:channel-servers-test");
        Transport session = listener.accept();
        assertThrows(IllegalArgumentException.class, () -> servers.serve(session, route(Set.of("greet", "nope"), Set.of())));
        client.close();
    }

    @Test
    void aDefaultEndpointOutsideTheRouteIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ChannelServers.Route("rest", ROUTE_URI, Set.of("audit"), Optional.of("greet"), Set.of()));
    }
}
