package io.libchan.internal.transport;

import io.libchan.Dialect;
import io.libchan.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the socket transports (engines driven by the I/O threads): TLS 1.2 and 1.3, key and trust stores from {@link Settings}
 * (PKCS#12 or JKS, detected), optional client certificates, host name verification unless
 * {@code insecure}, and the peer's own certificate checked for its dates even when it is itself
 * trusted ({@link LeafDatesTrustManager}). ALPN is only used for jschan, which on node 20 speaks {@code spdy/3.1}.
 */
public final class TlsSockets {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    public static final String SPDY31 = "spdy/3.1";

    private TlsSockets() {
    }

    /** The TLS context the settings describe. */
    public static SSLContext context(Settings settings) throws IOException {
        if (settings.sslContext().isPresent()) {
            return settings.sslContext().get();
        }
        try {
            KeyManager[] keys = null;
            if (settings.keyStore().isPresent()) {
                char[] password = settings.keyStorePassword().orElse("").toCharArray();
                KeyStore ks = load(settings.keyStore().get(), password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                keys = kmf.getKeyManagers();
            }
            TrustManager[] trust;
            if (settings.insecure()) {
                trust = new TrustManager[] {new TrustEverything()};
            } else {
                // null: the JDK's default trust store, as SSLContext.init(.., null, ..) would use
                KeyStore ts = settings.trustStore().isPresent()
                        ? load(settings.trustStore().get(), settings.trustStorePassword().orElse("").toCharArray()) : null;
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = checkingLeafDates(tmf.getTrustManagers());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("bad TLS settings: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] checkingLeafDates(TrustManager[] managers) {
        TrustManager[] checked = managers.clone();
        for (int i = 0; i < checked.length; i++) {
            if (checked[i] instanceof X509ExtendedTrustManager) {
                checked[i] = new LeafDatesTrustManager((X509ExtendedTrustManager) checked[i]);
            }
        }
        return checked;
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        return KeyStore.getInstance(path.toFile(), password);
    }

    /** A client-side engine for {@code host:port}: TLS 1.2/1.3, host name checked unless insecure, ALPN spdy/3.1 for v0.1.0. */
    public static SSLEngine clientEngine(SSLContext context, String host, int port, Settings settings) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        if (!settings.insecure()) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (settings.dialect().orElse(Dialect.HEAD).wire() == Dialect.V0_1_0) {
            params.setApplicationProtocols(new String[] {SPDY31});
        }
        engine.setSSLParameters(params);
        return engine;
    }

    /**
     * A server-side engine: TLS 1.2/1.3, client certificates as the settings ask, {@code spdy/3.1}
     * chosen when a client offers it (ALPN is per engine in the JDK).
     */
    public static SSLEngine serverEngine(SSLContext context, Settings settings) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(PROTOCOLS);
        if (settings.clientAuth().equals("need")) {
            params.setNeedClientAuth(true);
        } else if (settings.clientAuth().equals("want")) {
            params.setWantClientAuth(true);
        }
        engine.setSSLParameters(params);
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> choose(offered));
        return engine;
    }

    /** The settings' server context, refusing settings without a key. */
    public static SSLContext serverContext(Settings settings) throws IOException {
        if (settings.keyStore().isEmpty() && settings.sslContext().isEmpty()) {
            throw new IllegalArgumentException("a tls:// listener needs a key store (keystore=...) or an SSLContext");
        }
        return context(settings);
    }

    private static String choose(List<String> offered) {
        if (offered.contains(SPDY31)) {
            return SPDY31;
        }
        return offered.contains("spdy/3") ? "spdy/3" : "";
    }

    private static final class TrustEverything implements X509TrustManager {
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
