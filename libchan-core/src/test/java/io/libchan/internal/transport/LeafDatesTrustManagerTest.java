package io.libchan.internal.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.contract.TestCertificates;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The dates of the peer's own certificate are checked even when the trust store holds it (the JDK skips them). */
class LeafDatesTrustManagerTest {
    @Test
    void anExpiredClientCertificateInTheServersTrustStoreIsRefused() throws Exception {
        KeyStore store = KeyStore.getInstance(TestCertificates.expiredStore().toFile(), TestCertificates.PASSWORD.toCharArray());
        X509Certificate[] chain = {(X509Certificate) store.getCertificate("server")};
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        X509ExtendedTrustManager jdk = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        jdk.checkClientTrusted(chain, "UNKNOWN"); // the JDK alone takes it: it is an anchor

        CertificateException e = assertThrows(CertificateException.class,
                () -> new LeafDatesTrustManager(jdk).checkClientTrusted(chain, "UNKNOWN"));
        assertTrue(e.getMessage().contains("CN=localhost expired on"), e.getMessage());
    }
}
