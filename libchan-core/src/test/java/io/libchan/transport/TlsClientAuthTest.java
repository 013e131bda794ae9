package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TestCertificates;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TLS server's {@code clientAuth} (PROTOCOL.md section 2): {@code need} refuses a client without
 * a certificate, {@code want} serves it, and a client certificate the server asked for and trusts
 * becomes the session's {@link Transport#peerPrincipal()} on the server; the client's is the
 * server certificate's subject.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsClientAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Our server certificate, trusting alice's certificate (when a client certificate is asked for). */
    private static Listener listen(String clientAuth) throws Exception {
        return Libchan.listen(URI.create("tls://127.0.0.1:0"), Settings.builder()
                .keyStore(TestCertificates.store()).keyStorePassword(TestCertificates.PASSWORD)
                .trustStore(TestCertificates.clientStore()).trustStorePassword(TestCertificates.PASSWORD)
                .clientAuth(clientAuth).build());
    }

    /** A client trusting our server certificate, presenting alice's certificate or none. */
    private static Settings client(boolean withCertificate) throws Exception {
        Settings.Builder b = Settings.builder().trustStore(TestCertificates.store())
                .trustStorePassword(TestCertificates.PASSWORD);
        if (withCertificate) {
            b.keyStore(TestCertificates.clientStore()).keyStorePassword(TestCertificates.PASSWORD);
        }
        return b.build();
    }

    private static URI uri(Listener listener) {
        return URI.create("tls://localhost:" + listener.uri().getPort());
    }

    /** Connects, sends a message and returns the server's session once it has the message. */
    private static Transport exchange(Listener listener, Transport client) {
        client.newSendChannel().send("hello");
        Transport server = listener.accept(WAIT);
        assertEquals("hello", server.waitReceiveChannel(WAIT).receive(String.class, WAIT));
        return server;
    }

    private static Optional<String> name(Optional<Principal> p) {
        return p.map(Principal::getName);
    }

    @Test
    void needServesAClientWithATrustedCertificateAndNamesIt() throws Exception {
        try (Listener listener = listen("need"); Transport client = Libchan.connect(uri(listener), client(true))) {
            Transport server = exchange(listener, client);
            assertEquals(Optional.of("CN=alice"), name(server.peerPrincipal()));
            assertEquals(Optional.of("CN=localhost"), name(client.peerPrincipal()));
        }
    }

    @Test
    void needRefusesAClientWithoutACertificate() throws Exception {
        try (Listener listener = listen("need")) {
            Throwable refused = refusal(uri(listener), client(false));
            assertInstanceOf(LibchanException.class, refused);
        }
    }

    @Test
    void wantServesAClientWithoutACertificateAnonymously() throws Exception {
        try (Listener listener = listen("want"); Transport client = Libchan.connect(uri(listener), client(false))) {
            Transport server = exchange(listener, client);
            assertEquals(Optional.empty(), server.peerPrincipal());
        }
    }

    @Test
    void wantNamesAClientThatPresentsACertificate() throws Exception {
        try (Listener listener = listen("want"); Transport client = Libchan.connect(uri(listener), client(true))) {
            Transport server = exchange(listener, client);
            assertEquals(Optional.of("CN=alice"), name(server.peerPrincipal()));
        }
    }

    @Test
    void noneAsksForNoCertificate() throws Exception {
        try (Listener listener = listen("none"); Transport client = Libchan.connect(uri(listener), client(true))) {
            Transport server = exchange(listener, client);
            assertEquals(Optional.empty(), server.peerPrincipal());
        }
    }

    /**
     * How a refused client learns it: on connecting, or (TLS 1.3: the server checks the client's
     * certificate after the client finished its handshake) when the session ends.
     */
    private static Throwable refusal(URI uri, Settings settings) throws Exception {
        Transport t;
        try {
            t = Libchan.connect(uri, settings);
        } catch (LibchanException e) {
            return e;
        }
        try {
            t.newSendChannel().send("hello");
            t.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return fail("the session ended cleanly");
        } catch (LibchanException e) {
            return e;
        } catch (ExecutionException e) {
            return e.getCause();
        } finally {
            t.abort();
        }
    }
}
