package io.libchan.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The demo WAR as the {@code deploy/war} module built it, and where its services answer once deployed. */
final class DemoWar {
    /** The deployment's name, which is also its context root. */
    static final String NAME = "libchan-demo.war";
    /** The WAR's MicroProfile Config file, its own configuration. */
    static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private DemoWar() {
    }

    /**
     * The libraries a WAR of our own needs to serve libchan through libchan-cdi, as the demo WAR
     * bundles them: libchan-core and libchan-cdi with what they depend on at run time (Jackson,
     * msgpack, the OpenTelemetry API). One list, so a dependency the core gains reaches every such WAR.
     */
    static boolean isLibchanLibrary(org.jboss.shrinkwrap.api.ArchivePath path) {
        String p = path.get();
        return p.startsWith("/WEB-INF/lib/libchan-core-") || p.startsWith("/WEB-INF/lib/libchan-cdi-")
                || p.startsWith("/WEB-INF/lib/jackson-") || p.startsWith("/WEB-INF/lib/msgpack-")
                || p.startsWith("/WEB-INF/lib/opentelemetry-");
    }

    /**
     * The built WAR (copied to {@code it-tests/target} by the build) with the test's ports in its own
     * configuration, {@value #CONFIG}: the raw server on the port {@link WildFlyPorts} chose, and a
     * second raw server with TLS ({@code libchan.server.secure.*}, its key store made by
     * {@link TestKeyStore}); both drain within 2 s, so sessions a client has not finished end at most
     * 2 s after undeploy. The configuration of a deployment stays in it: nothing is set server-wide,
     * so another deployment of the same server does not see these servers.
     */
    static WebArchive archive() {
        return archive(new String[0]);
    }

    /** As {@link #archive()}, with {@code extraConfig} lines added to its {@value #CONFIG}. */
    static WebArchive archive(String... extraConfig) {
        File war = new File(System.getProperty("it.demo.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("no demo WAR at " + war + ": build deploy/war first");
        }
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, war);
        String config = read(archive.get(CONFIG).getAsset());
        String raw = "libchan.server.raw.listen=";
        if (!config.contains("\n" + raw)) {
            throw new IllegalStateException("no " + raw + " line in the demo WAR's " + CONFIG);
        }
        config = config.replaceAll("(?m)^" + Pattern.quote(raw) + ".*$",
                Matcher.quoteReplacement(raw + libchanUri() + "?drainTimeout=2s"));
        config += String.join("\n", "",
                "# added by the it-tests (DemoWar)",
                "libchan.server.secure.listen=tls://127.0.0.1:" + WildFlyPorts.port("it.libchan.tls.port") + "?drainTimeout=2s",
                "libchan.server.secure.keystore=" + System.getProperty("it.keystore"),
                "libchan.server.secure.keystore-password=" + System.getProperty("it.keystore.password"),
                "libchan.server.secure.default-endpoint=echo",
                "# a raw listener authenticates or is anonymous by choice, with the endpoints anyone may call",
                "libchan.server.secure.anonymous=true",
                "libchan.server.secure.endpoints=echo,hello",
                "");
        if (extraConfig.length > 0) {
            config += String.join("\n", extraConfig) + "\n";
        }
        archive.delete(CONFIG);
        archive.add(new StringAsset(config), CONFIG);
        return archive;
    }

    private static String read(Asset asset) {
        try (InputStream in = asset.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw libchan server of the deployed WAR ({@link #archive()} sets libchan.server.raw.listen). */
    static String libchanUri() {
        return "tcp://127.0.0.1:" + libchanPort();
    }

    static int libchanPort() {
        return WildFlyPorts.port("it.libchan.port");
    }

    /** The TLS raw server {@link #archive()} adds ({@code libchan.server.secure.*}), trusting its test certificate. */
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
