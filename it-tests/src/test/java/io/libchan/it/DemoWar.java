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
        return "tcp://127.0.0.1:" + WildFlyPorts.port("it.libchan.port");
    }

    static int libchanPort() {
        return WildFlyPorts.port("it.libchan.port");
    }

    /** {@code path} under the WAR's context root, over plain HTTP. */
    static URI http(String path) {
        return URI.create("http://127.0.0.1:" + WildFlyPorts.port("it.http.port") + "/libchan-demo/" + path);
    }

    /** {@code path} under the WAR's context root, over TLS (WildFly's self-signed certificate). */
    static URI https(String path) {
        return URI.create("https://127.0.0.1:" + WildFlyPorts.port("it.https.port") + "/libchan-demo/" + path);
    }
}
