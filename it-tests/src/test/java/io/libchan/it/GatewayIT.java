package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.Directory;
import io.libchan.Libchan;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.GatewayClient;
import io.libchan.gateway.TunnelRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR's gateway target {@code pg} (role {@code libchan}), pointed at an echo server of the
 * test instead of PostgreSQL: the directory shows it to the user with the role, on the door behind
 * the login, and not on the open mount, where it is not offered; a tunnel carries bytes both ways.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GatewayIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ServerSocket target;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(GatewayIT::echoForever, "pg-stand-in");
        t.setDaemon(true);
        t.start();
        WebArchive archive = DemoWar.archive();
        String config;
        try (InputStream in = archive.get(DemoWar.CONFIG).getAsset().openStream()) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String key = "libchan.gateway.pg.target=";
        assertTrue(config.contains("\n" + key), "the demo WAR offers the target pg");
        config = config.replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + ".*$",
                Matcher.quoteReplacement(key + "tcp://127.0.0.1:" + target.getLocalPort()));
        archive.delete(DemoWar.CONFIG);
        archive.add(new StringAsset(config), DemoWar.CONFIG);
        return archive;
    }

    private static void echoForever() {
        while (true) {
            try {
                Socket s = target.accept();
                Thread c = new Thread(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                        s.shutdownOutput();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                c.setDaemon(true);
                c.start();
            } catch (IOException e) {
                return; // closed after the tests
            }
        }
    }

    @AfterAll
    static void stopTarget() throws IOException {
        if (target != null) {
            target.close();
        }
    }

    /** libchan-rest-fallback's WebSocket behind the login, as the demo user (role libchan). */
    private static URI loggedIn() {
        return URI.create("ws://" + RestFallbackIT.USER + ":" + RestFallbackIT.PASSWORD + "@127.0.0.1:"
                + WildFlyPorts.port("it.http.port") + "/libchan-demo/api/libchan/ws");
    }

    @Test
    void theUserWithTheRoleSeesTheTargetAndTunnelsThroughIt() throws Exception {
        try (Transport session = Libchan.connect(loggedIn(), Settings.defaults())) {
            Directory.Listing listing = Directory.list(session, WAIT);
            assertEquals(java.util.Set.of("pg"), listing.targets());
            assertTrue(listing.endpoints().contains("echo"), listing.toString());
            ByteStream tunnel = GatewayClient.over(session).withTimeout(WAIT).connect("pg");
            tunnel.output().write("SELECT 1".getBytes(StandardCharsets.US_ASCII));
            tunnel.closeWrite();
            assertEquals("SELECT 1", new String(tunnel.input().readAllBytes(), StandardCharsets.US_ASCII));
            tunnel.close();
        }
    }

    @Test
    void theOpenMountNeitherListsNorOffersTheTarget() {
        try (Transport session = Libchan.connect(DemoWar.http("ws"))) {
            Directory.Listing listing = Directory.list(session, WAIT);
            assertEquals(java.util.Set.of(), listing.targets());
            assertTrue(listing.endpoints().contains("echo"), listing.toString());
            TunnelRefusedException e = assertThrows(TunnelRefusedException.class,
                    () -> GatewayClient.over(session).withTimeout(WAIT).connect("pg"));
            assertEquals(Gateway.FORBIDDEN, e.type(), "pg has roles: offered to every door, refused without the role");
        }
    }
}
