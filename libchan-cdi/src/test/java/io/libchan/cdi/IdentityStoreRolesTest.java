package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without a {@link PeerAuthenticator}, a {@code tls://} listener that needs client certificates gets
 * its peers' roles from the application's Jakarta Security identity store (groups for the
 * certificate's subject), as the container does for a caller authenticated elsewhere. A listener
 * without client certificates is not authenticated by a store: it fails the deployment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentityStoreRolesTest {
    private TestContainer app;

    /** Groups only (it validates nothing): worker-1 trades. */
    @ApplicationScoped
    static class CertificateGroups implements IdentityStore {
        @Override
        public Set<ValidationType> validationTypes() {
            return EnumSet.of(ValidationType.PROVIDE_GROUPS);
        }

        @Override
        public Set<String> getCallerGroups(CredentialValidationResult caller) {
            return caller.getCallerPrincipal().getName().equals("CN=worker-1") ? Set.of("trader") : Set.of();
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static Object ask(Transport session, String endpoint) {
        Pipe reply = Pipe.create();
        Sender channel = session.newSendChannel(endpoint);
        channel.send(Map.of("ret", reply.sender()));
        return reply.receiver().receive(Object.class, Await.TIMEOUT);
    }

    @Test
    void aClientCertificateGetsTheGroupsTheIdentityStoreGivesItsSubject() throws Exception {
        app = TestContainer.start(Map.of("libchan.server.raw.listen", TlsStores.serverUri()),
                RawListenerSecurityTest.Desk.class, CertificateGroups.class);
        URI uri = app.select(ChannelServers.class).uri("raw");
        try (Transport worker = Libchan.connect(uri, TlsStores.client("worker"));
             Transport stranger = Libchan.connect(uri, TlsStores.client("stranger"))) {
            assertEquals("traded by CN=worker-1", ask(worker, "trade"));
            assertEquals("42", ask(stranger, "quote"));
            Object refused = ask(stranger, "trade");
            assertEquals(EndpointForbiddenException.class.getName(),
                    ErrorReply.asError(refused).orElseThrow(() -> new AssertionError("not an error: " + refused)).type());
        }
    }

    @Test
    void anIdentityStoreDoesNotAuthenticateAListenerWithoutClientCertificates() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> TestContainer.start(
                Map.of("libchan.server.raw.listen", "tcp://127.0.0.1:0"),
                RawListenerSecurityTest.Desk.class, CertificateGroups.class).close());
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        assertTrue(text.toString().contains("libchan.server.raw.listen"), text.toString());
    }
}
