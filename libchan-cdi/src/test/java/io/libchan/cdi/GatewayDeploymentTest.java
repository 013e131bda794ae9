package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Directory;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.GatewayClient;
import io.libchan.gateway.TunnelRefusedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment's gateway ({@code libchan.gateway.<name>.target}, {@code .roles}) and directory
 * ({@code libchan.directory}) on its servers: each peer sees and may use what its roles allow,
 * anonymous listeners only the targets they list, an injected {@link GatewayClient} opens tunnels,
 * and typos fail the deployment by key. Real sockets, loopback, port 0; the targets are echo servers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayDeploymentTest {
    private ServerSocket echo;
    private TestContainer app;

    @ApplicationScoped
    static class Desk {
        @ChannelEndpoint("quote")
        String quote() {
            return "42";
        }

        @ChannelEndpoint("trade")
        @RolesAllowed("trader")
        String trade() {
            return "traded";
        }
    }

    /** alice trades and administers the database; bob does neither. */
    @ApplicationScoped
    static class Tokens implements PeerAuthenticator {
        @Override
        public Optional<Identity> authenticate(Credentials peer) {
            return peer.bearerToken().flatMap(t -> switch (t) {
                case "alice-token" -> Optional.of(Identity.of("alice", "trader", "dba"));
                case "bob-token" -> Optional.of(Identity.of("bob"));
                default -> Optional.empty();
            });
        }
    }

    /** A client application with a tunnel maker to the server's gateway. */
    @ApplicationScoped
    static class DbClient {
        @Inject
        @Channel("gw")
        GatewayClient gateway;

        GatewayClient gateway() {
            return gateway;
        }
    }

    @BeforeEach
    void startTarget() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                            s.shutdownOutput();
                        } catch (IOException e) {
                            // the tunnel was cut: nothing to echo any more
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "echo-target");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        echo.close();
    }

    private Map<String, String> config(String... more) {
        Map<String, String> c = new HashMap<>(Map.of(
                "libchan.gateway.db.target", "tcp://127.0.0.1:" + echo.getLocalPort(),
                "libchan.gateway.db.roles", "dba",
                "libchan.gateway.web.target", "tcp://127.0.0.1:" + echo.getLocalPort(),
                "libchan.server.raw.listen", "tcp://127.0.0.1:0"));
        for (int i = 0; i < more.length; i += 2) {
            c.put(more[i], more[i + 1]);
        }
        return c;
    }

    private static Transport as(URI uri, String token) {
        return Libchan.connect(uri, token == null ? Settings.defaults() : Settings.builder().bearerToken(token).build());
    }

    private static String echoThrough(GatewayClient gateway, String target, String text) throws IOException {
        ByteStream tunnel = gateway.connect(target);
        tunnel.output().write(text.getBytes(StandardCharsets.UTF_8));
        tunnel.closeWrite();
        String back = new String(tunnel.input().readAllBytes(), StandardCharsets.UTF_8);
        tunnel.close();
        return back;
    }

    private static String refusal(GatewayClient gateway, String target) {
        return assertThrows(TunnelRefusedException.class, () -> gateway.connect(target)).type();
    }

    @Test
    void aPeerWithTheRoleSeesAndUsesMoreThanAPeerWithout() throws Exception {
        app = TestContainer.start(config(), Desk.class, Tokens.class);
        URI uri = app.select(ChannelServers.class).uri("raw");
        try (Transport alice = as(uri, "alice-token"); Transport bob = as(uri, "bob-token")) {
            assertEquals(Directory.Listing.of(List.of("quote", "trade"), List.of("db", "web")), Directory.list(alice, Await.TIMEOUT));
            assertEquals(Directory.Listing.of(List.of("quote"), List.of("web")), Directory.list(bob, Await.TIMEOUT));

            GatewayClient aliceGw = GatewayClient.over(alice);
            GatewayClient bobGw = GatewayClient.over(bob);
            assertEquals("select 1", echoThrough(aliceGw, "db", "select 1"));
            assertEquals(Gateway.FORBIDDEN, refusal(bobGw, "db"));
            assertEquals(Gateway.UNKNOWN_TARGET, refusal(bobGw, "mainframe"));
            assertEquals("hello", echoThrough(bobGw, "web", "hello"), "a target without roles: any authenticated peer");
        }
    }

    @Test
    void anAnonymousListenerOffersOnlyTheTargetsItListsAndNoneWithoutTheKey() throws Exception {
        app = TestContainer.start(config(
                "libchan.server.raw.anonymous", "true", "libchan.server.raw.endpoints", "quote",
                "libchan.server.raw.targets", "web",
                "libchan.server.closed.listen", "tcp://127.0.0.1:0", "libchan.server.closed.anonymous", "true",
                "libchan.server.closed.endpoints", "quote"), Desk.class);
        ChannelServers servers = app.select(ChannelServers.class);
        try (Transport anyone = as(servers.uri("raw"), null); Transport other = as(servers.uri("closed"), null)) {
            assertEquals(Directory.Listing.of(List.of("quote"), List.of("web")), Directory.list(anyone, Await.TIMEOUT));
            GatewayClient gw = GatewayClient.over(anyone);
            assertEquals("hi", echoThrough(gw, "web", "hi"));
            assertEquals(Gateway.UNKNOWN_TARGET, refusal(gw, "db"), "not offered here: not even said to exist");

            assertEquals(Directory.Listing.of(List.of("quote"), List.of()), Directory.list(other, Await.TIMEOUT));
            assertEquals(Gateway.UNKNOWN_TARGET, refusal(GatewayClient.over(other), "web"));
        }
    }

    @Test
    void aRoutedSessionUsesTheRolesOfItsRouteAndAnUnauthenticatedOneNoRolelessTarget() throws Exception {
        app = TestContainer.start(config(), Desk.class, Tokens.class);
        ChannelServers servers = app.select(ChannelServers.class);
        try (Listener door = Libchan.listen("tcp://127.0.0.1:0")) {
            // an HTTP door that logged nobody in, but gave the peer the role dba (as a route may)
            CompletableFuture<Transport> accepted = door.acceptAsync();
            try (Transport client = Libchan.connect(door.uri().toString())) {
                servers.serve(accepted.get(30, TimeUnit.SECONDS), new ChannelServers.Route("door", door.uri(),
                        servers.endpoints(), Optional.empty(), Set.of("dba")));
                assertEquals(Directory.Listing.of(List.of("quote"), List.of("db")), Directory.list(client, Await.TIMEOUT));
                GatewayClient gw = GatewayClient.over(client);
                assertEquals("rows", echoThrough(gw, "db", "rows"));
                assertEquals(Gateway.UNKNOWN_TARGET, refusal(gw, "web"), "no principal: a role-less target is not offered");
            }
        }
    }

    @Test
    void theRolesAnHttpDoorShouldAskAboutIncludeTheTargetsRoles() {
        app = TestContainer.start(config(), Desk.class, Tokens.class);
        // libchan-rest-fallback asks isUserInRole for these only, and gives the session those the user holds
        assertEquals(Set.of("trader", "dba"), app.select(ChannelServers.class).roles());
    }

    @Test
    void anInjectedGatewayClientTunnelsThroughTheRemoteChannelsSession() throws Exception {
        app = TestContainer.start(config(), Desk.class, Tokens.class);
        URI uri = app.select(ChannelServers.class).uri("raw");
        try (TestContainer client = TestContainer.start(Map.of("libchan.channel.gw.uri", uri.toString(),
                "libchan.channel.gw.bearer-token", "alice-token"), DbClient.class)) {
            GatewayClient gw = client.select(DbClient.class).gateway();
            assertEquals(Set.of("db", "web"), gw.targets());
            assertEquals("from a bean", echoThrough(gw, "db", "from a bean"));
        }
    }

    @Test
    void shutdownCutsAnOpenTunnelRatherThanWaitingForIt() throws Exception {
        // a drain longer than the test's timeout: a shutdown that waited for the tunnel would fail it
        app = TestContainer.start(config("libchan.server.raw.drain-timeout", "5m"), Desk.class, Tokens.class);
        URI uri = app.select(ChannelServers.class).uri("raw");
        try (Transport alice = Libchan.connect(uri, Settings.builder().bearerToken("alice-token").set("drain-timeout", "5m").build())) {
            ByteStream tunnel = GatewayClient.over(alice).connect("db");
            tunnel.output().write("open".getBytes(StandardCharsets.UTF_8));
            tunnel.output().flush();
            assertEquals("open", new String(tunnel.input().readNBytes(4), StandardCharsets.UTF_8));
            TestContainer stopping = app;
            app = null;
            stopping.close();
            // the client's half stays open, yet the server ended the tunnel: the read ends (EOF or an error)
            try {
                assertEquals(-1, tunnel.input().read());
            } catch (IOException | io.libchan.LibchanException ended) {
                // cut rather than closed: as good
            }
        }
    }

    @Test
    void gatewayTyposAndMisplacedTargetsFailTheDeploymentByKey() {
        String message = deploymentFailure(config(
                "libchan.gateway.db.tagret", "tcp://127.0.0.1:1",
                "libchan.gateway.conect-timeout", "5s",
                "libchan.gateway.ssh.roles", "ops",
                "libchan.gateway.files.target", "ftp://files.internal:21",
                "libchan.gateway.max-tunnels", "0",
                "libchan.server.raw.targets", "web,nope"), Desk.class, Tokens.class);
        assertNames(message, "libchan.gateway.db.tagret", "libchan.gateway.conect-timeout", "libchan.gateway.ssh.target",
                "libchan.gateway.files.target", "ftp://files.internal:21", "libchan.gateway.max-tunnels",
                "libchan.server.raw.targets", "nope");
        message = deploymentFailure(config("libchan.server.raw.anonymous", "true", "libchan.server.raw.endpoints", "quote",
                "libchan.server.raw.targets", "web,db"), Desk.class);
        assertNames(message, "libchan.server.raw.targets", "'db'", "[dba]");
    }

    @ApplicationScoped
    static class Squatter {
        @ChannelEndpoint("libchan.directory")
        String list() {
            return "mine";
        }
    }

    @Test
    void anEndpointMayNotTakeTheDirectorysName() {
        assertNames(deploymentFailure(Map.of("libchan.server.raw.listen", "inmem:squat"), Squatter.class),
                "@ChannelEndpoint(\"libchan.directory\")");
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
