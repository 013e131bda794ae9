package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.SessionRefusedException;
import io.libchan.Settings;
import io.libchan.Transport;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bearer tokens on a raw listener checked by the server's MicroProfile JWT support, with no
 * {@link PeerAuthenticator} of the application: the {@link JWTParser} bean (as SmallRye JWT gives it;
 * here produced under Weld SE with a throwaway RSA key, as WildFly's subsystem does from
 * {@code mp.jwt.verify.*}) verifies the token of the peer's first channel; its {@code groups} are the
 * session's roles. Real sockets, loopback, port 0.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwtRawListenerTest {
    private static final String ISSUER = "https://issuer.libchan.test";
    private static final KeyPair KEYS = rsa();
    private static final KeyPair OTHER_KEYS = rsa();

    private TestContainer app;

    /** What the server's MicroProfile JWT gives the application. */
    @ApplicationScoped
    static class ServerJwt {
        @Produces
        @ApplicationScoped
        JWTParser parser() {
            return new DefaultJWTParser(new JWTAuthContextInfo((RSAPublicKey) KEYS.getPublic(), ISSUER));
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(String user, List<String> groups, Instant expires, PrivateKey key) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(user);
        claims.setClaim("upn", user);
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAt(NumericDate.fromSeconds(expires.getEpochSecond() - 3600));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static String valid(String user, String... groups) throws Exception {
        return token(user, List.of(groups), Instant.now().plus(Duration.ofHours(1)), KEYS.getPrivate());
    }

    private URI start() {
        app = TestContainer.start(Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"),
                RawListenerSecurityTest.Desk.class, ServerJwt.class);
        return app.select(ChannelServers.class).uri("raw");
    }

    private static Object ask(Transport session, String endpoint) {
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel(endpoint);
        channel.send(Map.of("ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    @Test
    void aValidTokenWithTheRoleReachesTheRolesAllowedEndpoint() throws Exception {
        URI uri = start();
        try (Transport alice = Libchan.connect(uri, Settings.builder().bearerToken(valid("alice", "trader")).build());
             Transport bob = Libchan.connect(uri, Settings.builder().bearerToken(valid("bob", "viewer")).build())) {
            assertEquals("traded by alice", ask(alice, "trade"));
            Object refused = ask(bob, "trade");
            assertEquals(EndpointForbiddenException.class.getName(),
                    ErrorReply.asError(refused).orElseThrow(() -> new AssertionError("not an error: " + refused)).type());
            assertEquals("42", ask(bob, "quote"));
        }
    }

    @Test
    void anExpiredTokenIsRefusedAndTheSessionClosed() throws Exception {
        URI uri = start();
        String expired = token("alice", List.of("trader"), Instant.now().minus(Duration.ofHours(1)), KEYS.getPrivate());
        try (Transport alice = Libchan.connect(uri, Settings.builder().bearerToken(expired).build())) {
            assertRefused(alice);
        }
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedAndTheSessionClosed() throws Exception {
        URI uri = start();
        String forged = token("alice", List.of("trader"), Instant.now().plus(Duration.ofHours(1)), OTHER_KEYS.getPrivate());
        try (Transport mallory = Libchan.connect(uri, Settings.builder().bearerToken(forged).build())) {
            assertRefused(mallory);
        }
    }

    private void assertRefused(Transport session) throws Exception {
        Sender channel = session.newSendChannel("trade");
        channel.send(Map.of("ret", Pipe.create().sender()));
        ExecutionException ended = assertThrows(ExecutionException.class,
                () -> session.closeFuture().get(Await.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(SessionRefusedException.class, ended.getCause(), "the session's end says why");
        assertFalse(session.isOpen());
        assertThrows(SessionRefusedException.class, () -> channel.send(Map.of("again", true)));
        assertEquals(List.of(), app.select(RawListenerSecurityTest.Desk.class).calls(), "nothing reached an endpoint");
    }
}
