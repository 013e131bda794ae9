package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Raw listeners ({@code libchan.server.<name>.listen=tcp://…}) authenticate their peers through the
 * application's {@link PeerAuthenticator} (a bearer token, a TLS client certificate) or are anonymous
 * by explicit configuration, reaching only the endpoints listed for them and never a
 * {@code @RolesAllowed} one; a listener that is neither fails the deployment, naming the keys.
 * Real sockets, loopback, port 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawListenerSecurityTest {
    private TestContainer app;

    @ApplicationScoped
    static class Desk {
        @Inject
        ChannelCall call;
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<SessionOpened> opened = new CopyOnWriteArrayList<>();

        @ChannelEndpoint("quote")
        String quote() {
            calls.add("quote");
            return "42";
        }

        @ChannelEndpoint("trade")
        @RolesAllowed("trader")
        String trade() {
            calls.add("trade");
            return "traded by " + call.peerPrincipal().map(java.security.Principal::getName).orElse("?");
        }

        @ChannelEndpoint("workers")
        String register() {
            calls.add("workers");
            return "registered";
        }

        void opened(@Observes SessionOpened e) {
            opened.add(e);
        }

        List<String> calls() {
            return calls;
        }

        List<SessionOpened> opened() {
            return opened;
        }
    }

    /** Tokens and certificates of the test: alice trades, bob does not, worker-1's certificate trades. */
    @ApplicationScoped
    static class Tokens implements PeerAuthenticator {
        final List<Credentials> seen = new CopyOnWriteArrayList<>();

        List<Credentials> seen() {
            return seen;
        }

        @Override
        public Optional<Identity> authenticate(Credentials peer) {
            seen.add(peer);
            if (peer.certificateSubject().isPresent()) {
                return peer.certificateSubject().get().getName().equals("CN=worker-1")
                        ? Optional.of(Identity.of(peer.certificateSubject().get(), "trader")) : Optional.empty();
            }
            return peer.bearerToken().flatMap(t -> switch (t) {
                case "alice-token" -> Optional.of(Identity.of("alice", "trader"));
                case "bob-token" -> Optional.of(Identity.of("bob"));
                default -> Optional.empty();
            });
        }
    }

    /** A client application whose remote channel {@code desk} carries a token from its configuration. */
    @ApplicationScoped
    static class Caller {
        @Inject
        @Channel("desk")
        Transport desk;

        Transport desk() {
            return desk;
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private URI start(Map<String, String> config, Class<?>... beans) {
        app = TestContainer.start(config, beans);
        return app.select(ChannelServers.class).uri("raw");
    }

    private static Object ask(Transport session, String endpoint) {
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel(endpoint);
        channel.send(Map.of("ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    private static String errorType(Object reply) {
        return ErrorReply.asError(reply).orElseThrow(() -> new AssertionError("not an error: " + reply)).type();
    }

    /** The peer's first channel was refused: the server ended the session, and no endpoint ran. */
    private void assertRefused(Transport session, String endpoint) throws Exception {
        Sender channel = session.newSendChannel(endpoint);
        channel.send(Map.of("ret", Pipe.create().sender()));
        session.closeFuture().handle((v, e) -> null).get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(session.isOpen());
        assertThrows(LibchanException.class, () -> channel.send(Map.of("again", true)));
        assertEquals(List.of(), app.select(Desk.class).calls(), "nothing reached an endpoint");
        assertEquals(List.of(), app.select(Desk.class).opened(), "a refused session is not announced");
    }

    @Test
    void anAnonymousListenerReachesTheListedEndpointsOnly() throws Exception {
        URI uri = start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true",
                "libchan.server.raw.endpoints", "quote"), Desk.class);
        try (Transport session = Libchan.connect(uri, Settings.defaults())) {
            assertEquals("42", ask(session, "quote"));
            assertEquals(UnknownEndpointException.class.getName(), errorType(ask(session, "workers")));
            assertEquals(UnknownEndpointException.class.getName(), errorType(ask(session, "trade")));
            assertEquals("42", ask(session.newSendChannel()), "the only endpoint listed takes unnamed channels");
        }
        assertEquals(List.of("quote", "quote"), app.select(Desk.class).calls());
    }

    private static Object ask(Sender channel) {
        Pipe reply = Pipe.create();
        channel.send(Map.of("ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    @Test
    void aListenerNeitherAuthenticatedNorAnonymousFailsTheDeploymentNamingTheKeys() {
        String message = deploymentFailure(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"), Desk.class);
        assertNames(message, "libchan.server.raw.listen", "libchan.server.raw.anonymous=true", "libchan.server.raw.endpoints",
                PeerAuthenticator.class.getName());
        message = deploymentFailure(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true"), Desk.class);
        assertNames(message, "libchan.server.raw.endpoints");
        message = deploymentFailure(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "yes please", "libchan.server.raw.endpoints", "quote"), Desk.class);
        assertNames(message, "libchan.server.raw.anonymous", "yes please");
    }

    @Test
    void rolesAllowedEndpointsAreNeverListedForAnonymousPeers() {
        String message = deploymentFailure(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0",
                "libchan.server.raw.anonymous", "true",
                "libchan.server.raw.endpoints", "quote,trade"), Desk.class, Tokens.class);
        assertNames(message, "libchan.server.raw.endpoints", "trade", "@RolesAllowed([trader])");
    }

    @Test
    void aValidTokenReachesAnEndpointItsRoleAllowsAndATokenWithoutTheRoleIsForbidden() {
        URI uri = start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"), Desk.class, Tokens.class);
        try (Transport alice = Libchan.connect(uri, Settings.builder().bearerToken("alice-token").build());
             Transport bob = Libchan.connect(uri, Settings.builder().bearerToken("bob-token").build())) {
            assertEquals("traded by alice", ask(alice, "trade"));
            assertEquals("traded by alice", ask(alice, "trade"), "the whole session is alice's");
            assertEquals(EndpointForbiddenException.class.getName(), errorType(ask(bob, "trade")));
            assertEquals("42", ask(bob, "quote"));
        }
        Desk desk = app.select(Desk.class);
        assertEquals(List.of("trade", "trade", "quote"), desk.calls());
        Await.until("both sessions announced", () -> desk.opened().size() == 2);
        assertEquals(List.of("alice", "bob"), desk.opened().stream().map(e -> e.peerPrincipal().orElseThrow().getName()).sorted().toList());
    }

    @Test
    void anInjectedRemoteChannelSendsTheTokenOfItsConfiguration() {
        URI uri = start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"), Desk.class, Tokens.class);
        try (TestContainer client = TestContainer.start(Map.of("libchan.channel.desk.uri", uri.toString(),
                "libchan.channel.desk.bearer-token", "alice-token"), Caller.class)) {
            assertEquals("traded by alice", ask(client.select(Caller.class).desk(), "trade"));
        }
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        URI uri = start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"), Desk.class, Tokens.class);
        try (Transport mallory = Libchan.connect(uri, Settings.builder().bearerToken("guessed").build())) {
            assertRefused(mallory, "quote");
        }
    }

    @Test
    void aMissingTokenIsRefused() throws Exception {
        URI uri = start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"), Desk.class, Tokens.class);
        try (Transport anonymous = Libchan.connect(uri, Settings.defaults())) {
            assertRefused(anonymous, "trade");
        }
    }

    @Test
    void aClientCertificateMappedToARoleIsAllowed() throws Exception {
        URI uri = start(Map.of("libchan.server.raw.listen", TlsStores.serverUri()), Desk.class, Tokens.class);
        try (Transport worker = Libchan.connect(uri, TlsStores.client("worker"))) {
            assertEquals("traded by CN=worker-1", ask(worker, "trade"));
        }
        PeerAuthenticator.Credentials peer = app.select(Tokens.class).seen().get(0);
        assertEquals(1, peer.certificateChain().size(), "the self-signed certificate: " + peer);
        assertEquals(peer.certificateSubject().orElseThrow(), peer.certificateChain().get(0).getSubjectX500Principal());
        assertEquals(Optional.empty(), peer.bearerToken());
    }

    @Test
    void aTrustedClientCertificateTheApplicationDoesNotMapIsRefused() throws Exception {
        URI uri = start(Map.of("libchan.server.raw.listen", TlsStores.serverUri()), Desk.class, Tokens.class);
        try (Transport stranger = Libchan.connect(uri, TlsStores.client("stranger"))) {
            assertRefused(stranger, "quote");
        }
    }

    private static String deploymentFailure(Map<String, String> config, Class<?>... beans) {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> TestContainer.start(config, beans).close());
        StringBuilder text = new StringBuilder();
        boolean deployment = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            deployment |= t instanceof DeploymentException;
            text.append(t.getMessage()).append('\n');
        }
        assertTrue(deployment, "not a DeploymentException: " + failure);
        return text.toString();
    }

    private static void assertNames(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not named in:\n" + message);
        }
    }
}
