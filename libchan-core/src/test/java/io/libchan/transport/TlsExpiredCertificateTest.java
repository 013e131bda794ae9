package io.libchan.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TestCertificates;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An expired certificate is refused even when the client's trust store holds that very certificate
 * (the JDK does not check a trust anchor's dates), with an error that says it expired. (The server's
 * side of the check: LeafDatesTrustManagerTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsExpiredCertificateTest {
    private static Settings withStore(boolean key, boolean trust) throws Exception {
        Settings.Builder b = Settings.builder();
        if (key) {
            b.keyStore(TestCertificates.expiredStore()).keyStorePassword(TestCertificates.PASSWORD);
        }
        if (trust) {
            b.trustStore(TestCertificates.expiredStore()).trustStorePassword(TestCertificates.PASSWORD);
        }
        return b.build();
    }

    /** Fails on connecting or on the first exchange, whichever the handshake's end reaches. */
    private static LibchanException refused(URI uri, Settings client) {
        return assertThrows(LibchanException.class, () -> {
            try (Transport t = Libchan.connect(uri, client)) {
                t.newSendChannel().send("hello");
                t.waitReceiveChannel(Duration.ofSeconds(20));
            }
        });
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(" / ");
        }
        return all.toString();
    }

    @Test
    void aClientRefusesAnExpiredServerCertificateItTrustsDirectly() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tls://127.0.0.1:0"), withStore(true, false))) {
            LibchanException e = refused(URI.create("tls://localhost:" + listener.uri().getPort()), withStore(false, true));
            assertTrue(messages(e).contains("expired"), messages(e));
        }
    }
}
