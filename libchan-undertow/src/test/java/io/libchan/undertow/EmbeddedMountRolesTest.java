package io.libchan.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ConnectionLostException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.Transport;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.security.api.AuthenticationMode;
import io.undertow.security.handlers.AuthenticationCallHandler;
import io.undertow.security.handlers.AuthenticationConstraintHandler;
import io.undertow.security.handlers.AuthenticationMechanismsHandler;
import io.undertow.security.handlers.SecurityInitialHandler;
import io.undertow.security.impl.BasicAuthenticationMechanism;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An embedded Undertow (no servlets) with its own security handlers in front of the mount: BASIC
 * authentication against {@link TestIdentities}, every request authenticated. The account's roles
 * answer {@link Transport#isPeerInRole} on the sessions its requests open: alice holds "user", bob none.
 */
@Timeout(60)
class EmbeddedMountRolesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Undertow server;
    private static EchoApplication app;
    private static int port;

    @BeforeAll
    static void start() {
        LibchanEndpoint endpoint = LibchanEndpoint.create(Settings.defaults());
        HttpHandler paths = endpoint.mountOn(Handlers.path(), "/libchan");
        HttpHandler secured = new SecurityInitialHandler(AuthenticationMode.PRO_ACTIVE, new TestIdentities(),
                new AuthenticationMechanismsHandler(new AuthenticationConstraintHandler(new AuthenticationCallHandler(paths)),
                        List.of(new BasicAuthenticationMechanism("libchan"))));
        server = Undertow.builder().setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .addHttpListener(0, "127.0.0.1").setHandler(secured).build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        app = new EchoApplication(endpoint);
    }

    @AfterAll
    static void stop() {
        app.close();
        server.stop();
    }

    private static URI uri(String scheme, String user, String query) {
        return URI.create(scheme + "://" + user + ":secret@127.0.0.1:" + port + "/libchan" + (query == null ? "" : "?" + query));
    }

    private static boolean held(URI uri, String role) {
        try (Transport session = Libchan.connect(uri, Settings.defaults())) {
            Pipe reply = Pipe.create();
            session.newSendChannel().send(Map.of("cmd", "hasRole", "role", role, "ret", reply.sender()));
            @SuppressWarnings("unchecked")
            Map<String, Object> got = reply.receiver().receive(Map.class, WAIT);
            return (Boolean) got.get("held");
        }
    }

    @Test
    void theAccountsRolesReachTheSessionOnEveryProtocol() {
        for (URI alice : List.of(uri("h2c", "alice", null), uri("ws", "alice", null), uri("ws", "alice", "codec=json"))) {
            assertTrue(held(alice, "user"), alice.toString());
        }
        for (URI bob : List.of(uri("h2c", "bob", null), uri("ws", "bob", null), uri("ws", "bob", "codec=json"))) {
            assertEquals(false, held(bob, "user"), bob.toString());
        }
    }

    @Test
    void withoutCredentialsTheSecurityHandlersRefuseTheHandshakeWith401() {
        ConnectionLostException e = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(URI.create("ws://127.0.0.1:" + port + "/libchan"), Settings.defaults()));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }

    /**
     * The tunnel's request body never ends while the session lives, and Undertow answers a request
     * whose body it has not read to the end only once it has drained that body: the refusal waited
     * for the client's connect timeout. The client asks {@code Expect: 100-continue}, which lets the
     * refusal go out at once (the request stream is reset instead of drained).
     */
    @Test
    void withoutCredentialsTheSecurityHandlersRefuseTheTunnelWith401AtOnce() {
        Settings patient = Settings.defaults().toBuilder().connectTimeout(Duration.ofSeconds(45)).build();
        ConnectionLostException e = assertThrows(ConnectionLostException.class,
                () -> Libchan.connect(URI.create("h2c://127.0.0.1:" + port + "/libchan"), patient));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    }
}
