package io.libchan.undertow.internal;

import io.libchan.Settings;
import io.libchan.internal.transport.TlsSockets;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS contexts for the HTTP clients. The same key and trust stores as the socket transports
 * ({@link TlsSockets#context}); with {@code insecure} the context trusts any certificate <em>and</em>
 * skips the host name check (the JDK HTTP client checks host names itself unless the trust manager
 * is an extended one, so a plain trust-all manager is not enough there).
 */
public final class ClientTls {
    private ClientTls() {
    }

    public static SSLContext context(Settings settings) throws IOException {
        if (!settings.insecure() || settings.sslContext().isPresent()) {
            return TlsSockets.context(settings);
        }
        try {
            KeyManager[] keys = null;
            if (settings.keyStore().isPresent()) {
                char[] password = settings.keyStorePassword().orElse("").toCharArray();
                KeyStore ks = KeyStore.getInstance(settings.keyStore().get().toFile(), password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, new TrustManager[] {new TrustAnything()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("bad TLS settings: " + e.getMessage(), e);
        }
    }

    /** For tests only ({@code insecure=true}): accepts every certificate for every host. */
    private static final class TrustAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
