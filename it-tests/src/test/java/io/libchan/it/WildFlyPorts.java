package io.libchan.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Chooses the ports of the WildFly under test before Arquillian starts it (a JUnit launcher session
 * listener runs before any test class). WildFly's way to run beside other servers is one port
 * offset added to every socket binding: this picks an offset at which every port of
 * {@code standalone.xml} and the libchan listeners is free on 127.0.0.1, and publishes it as system
 * properties that {@code arquillian.xml} and the tests read. {@code -Dit.wildfly.port-offset=N}
 * forces one.
 */
public final class WildFlyPorts implements LauncherSessionListener {
    /** WildFly's default ports (ajp, http, https, management http/https, transaction recovery and status). */
    static final int HTTP = 8080;
    static final int HTTPS = 8443;
    static final int MANAGEMENT = 9990;
    /** Where the demo's raw libchan listener goes before the offset (its own default port). */
    static final int LIBCHAN = 9323;
    /** Where the tests put a second raw listener, with TLS (arquillian.xml, {@code libchan.server.secure.*}). */
    static final int LIBCHAN_TLS = 9324;
    /** Where {@code ElytronCertificatesIT}'s WAR puts its raw listener that needs client certificates. */
    static final int LIBCHAN_CERTS = 9325;
    /** Where {@code JwtTokensIT}'s WAR puts its raw listener that takes bearer tokens. */
    static final int LIBCHAN_JWT = 9326;
    private static final int[] ALL = {8009, HTTP, HTTPS, MANAGEMENT, 9993, 4712, 4713, LIBCHAN, LIBCHAN_TLS, LIBCHAN_CERTS,
        LIBCHAN_JWT};

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        int offset = Integer.getInteger("it.wildfly.port-offset", -1);
        if (offset < 0) {
            offset = freeOffset();
        }
        System.setProperty("it.wildfly.port-offset", Integer.toString(offset));
        System.setProperty("it.http.port", Integer.toString(HTTP + offset));
        System.setProperty("it.https.port", Integer.toString(HTTPS + offset));
        System.setProperty("it.management.port", Integer.toString(MANAGEMENT + offset));
        System.setProperty("it.libchan.port", Integer.toString(LIBCHAN + offset));
        System.setProperty("it.libchan.tls.port", Integer.toString(LIBCHAN_TLS + offset));
        System.setProperty("it.libchan.certs.port", Integer.toString(LIBCHAN_CERTS + offset));
        System.setProperty("it.libchan.jwt.port", Integer.toString(LIBCHAN_JWT + offset));
    }

    static int port(String name) {
        return Integer.getInteger(name);
    }

    private static int freeOffset() {
        for (int attempt = 0; attempt < 100; attempt++) {
            // every port below 32768, where Linux's ephemeral range starts: a port checked free here is
            // bound only when WildFly starts or the WAR deploys, and an outgoing connection of anything
            // else on the machine could take one of the ephemeral range meanwhile
            int offset = ThreadLocalRandom.current().nextInt(10_000, 22_000);
            if (IntStream.of(ALL).allMatch(p -> free(p + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no port offset found at which WildFly's ports are all free");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
