package io.libchan.internal.transport;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that also checks the dates of the peer's own (leaf) certificate. The JDK's PKIX
 * checks skip a trust anchor's dates, so an expired certificate that is itself in the trust store
 * (a self-signed server trusted directly) was accepted. Only the leaf is checked: an expired root
 * that is still an anchor is the JDK's (and the Web's) business, and chains through cross-signed
 * roots depend on it being tolerated.
 */
final class LeafDatesTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    LeafDatesTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
        checkLeaf(chain, new Date());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
        checkLeaf(chain, new Date());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
        checkLeaf(chain, new Date());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
        checkLeaf(chain, new Date());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
        checkLeaf(chain, new Date());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        checkLeaf(chain, new Date());
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** Fails, naming the certificate and its dates, when the peer's own certificate is not valid {@code now}. */
    static void checkLeaf(X509Certificate[] chain, Date now) throws CertificateException {
        if (chain == null || chain.length == 0) {
            return; // the delegate refused an empty chain already
        }
        X509Certificate leaf = chain[0];
        if (now.after(leaf.getNotAfter())) {
            throw new CertificateException("the peer's certificate " + leaf.getSubjectX500Principal().getName() + " expired on "
                    + leaf.getNotAfter().toInstant() + " (valid from " + leaf.getNotBefore().toInstant() + ")");
        }
        if (now.before(leaf.getNotBefore())) {
            throw new CertificateException("the peer's certificate " + leaf.getSubjectX500Principal().getName()
                    + " is not valid before " + leaf.getNotBefore().toInstant());
        }
    }
}
