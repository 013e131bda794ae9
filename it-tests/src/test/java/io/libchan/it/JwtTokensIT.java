package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.SessionRefusedException;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.it.certs.WhoAmIEndpoint;
import io.libchan.it.jwt.JwtApplication;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bearer tokens on a raw {@code tcp://} listener checked by WildFly's MicroProfile JWT (issue 16): a
 * WAR that activates MP-JWT ({@code @LoginConfig(authMethod = "MP-JWT")}, {@code mp.jwt.verify.*}), with a
 * {@code @RolesAllowed("libchan")} endpoint and no {@code PeerAuthenticator}. A token the server's
 * SmallRye JWT verifies is the session's principal, its {@code groups} the roles; an expired token and
 * one signed by another key are refused, the client seeing {@link SessionRefusedException}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JwtTokensIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Deployment(testable = false)
    static WebArchive war() {
        String config = String.join("\n",
                "mp.jwt.verify.publickey=" + TestTokens.publicKey(),
                "mp.jwt.verify.issuer=" + TestTokens.ISSUER,
                "libchan.server.jwt.listen=tcp://127.0.0.1:" + WildFlyPorts.port("it.libchan.jwt.port") + "?drainTimeout=2s",
                "libchan.server.jwt.default-endpoint=" + WhoAmIEndpoint.NAME,
                "");
        WebArchive war = ShrinkWrap.create(WebArchive.class, "libchan-jwt.war")
                .addClasses(WhoAmIEndpoint.class, JwtApplication.class)
                .addAsWebInfResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                        + " bean-discovery-mode=\"all\"/>\n"), "beans.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        DemoWar.archive().getContent(DemoWar::isLibchanLibrary).forEach((path, node) -> war.add(node.getAsset(), path));
        return war;
    }


    private static Transport connect(String token) {
        return Libchan.connect(URI.create("tcp://127.0.0.1:" + WildFlyPorts.port("it.libchan.jwt.port")),
                Settings.builder().bearerToken(token).build());
    }

    private static Object whoAmI(Transport session) {
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel(WhoAmIEndpoint.NAME);
        channel.send(Map.of("ret", reply.sender()));
        Object answer = reply.receiver().receive(Object.class, WAIT);
        channel.close();
        return answer;
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void aValidTokenWithTheRoleReachesTheRolesAllowedEndpoint() {
        try (Transport alice = connect(TestTokens.token("alice", List.of("libchan"), inAnHour()))) {
            assertEquals("alice", whoAmI(alice), "the token's principal");
        }
    }

    @Test
    void aValidTokenWithoutTheRoleIsForbiddenTheEndpoint() {
        try (Transport bob = connect(TestTokens.token("bob", List.of("viewer"), inAnHour()))) {
            Object answer = whoAmI(bob);
            RemoteErrorException error = ErrorReply.asError(answer).orElseThrow(() -> new AssertionError("not an error: " + answer));
            assertEquals("io.libchan.cdi.EndpointForbiddenException", error.type(), error.getMessage());
        }
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        assertRefused(TestTokens.token("alice", List.of("libchan"), Instant.now().minus(Duration.ofHours(1))));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        assertRefused(TestTokens.forged("alice", List.of("libchan"), inAnHour()));
    }

    private static void assertRefused(String token) throws Exception {
        try (Transport session = connect(token)) {
            Sender channel = session.newSendChannel(WhoAmIEndpoint.NAME);
            channel.send(Map.of("ret", Pipe.create().sender()));
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> session.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(SessionRefusedException.class, ended.getCause());
            assertThrows(SessionRefusedException.class, () -> channel.send(Map.of("again", true)));
        }
    }
}
