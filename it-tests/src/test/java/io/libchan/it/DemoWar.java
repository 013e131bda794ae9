package io.libchan.it;

import java.io.File;
import java.net.URI;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The demo WAR as the {@code deploy/war} module built it, and where its services answer once deployed. */
final class DemoWar {
    /** The deployment's name, which is also its context root. */
    static final String NAME = "libchan-demo.war";

    private DemoWar() {
    }

    /** The built WAR, unchanged (copied to {@code it-tests/target} by the build). */
    static WebArchive archive() {
        File war = new File(System.getProperty("it.demo.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("no demo WAR at " + war + ": build deploy/war first");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }

    /** The raw libchan server of the deployed WAR (arquillian.xml sets libchan.server.raw.listen). */
    static String libchanUri() {
        return "tcp://127.0.0.1:" + libchanPort();
    }

    static int libchanPort() {
        return WildFlyPorts.port("it.libchan.port");
    }

    /** The TLS raw server arquillian.xml adds ({@code libchan.server.secure.*}), trusting its test certificate. */
    static String libchanTlsUri() {
        return "tls://127.0.0.1:" + WildFlyPorts.port("it.libchan.tls.port") + "?" + TestKeyStore.trustQuery();
    }

    /**
     * libchan on WildFly's own listeners (libchan-undertow's ServletExtension, mounted at
     * {@code /libchan-demo/libchan}): {@code ws}, {@code h2c} on the HTTP port, {@code wss} and
     * {@code https} (HTTP/2 over TLS) on the HTTPS port, whose self-signed certificate is not checked.
     */
    static String http(String scheme) {
        boolean tls = scheme.equals("wss") || scheme.equals("https") || scheme.equals("h2");
        int port = WildFlyPorts.port(tls ? "it.https.port" : "it.http.port");
        return scheme + "://127.0.0.1:" + port + "/libchan-demo/libchan" + (tls ? "?insecure=true" : "");
    }

    /** {@code path} under the WAR's context root, over plain HTTP. */
    static URI page(String path) {
        return URI.create("http://127.0.0.1:" + WildFlyPorts.port("it.http.port") + "/libchan-demo/" + path);
    }

    /** {@code path} under the WAR's context root, over TLS (WildFly's self-signed certificate). */
    static URI https(String path) {
        return URI.create("https://127.0.0.1:" + WildFlyPorts.port("it.https.port") + "/libchan-demo/" + path);
    }
}
