package io.libchan.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes the key store of the WAR's TLS listener before Arquillian starts WildFly (a JUnit launcher
 * session listener runs before any test class): a self-signed PKCS#12 certificate for 127.0.0.1 and
 * localhost, made with the JDK's keytool in {@code target/}, published as system properties
 * ({@code it.keystore}, {@code it.keystore.password}) that {@code arquillian.xml} passes to WildFly
 * ({@code libchan.server.secure.keystore}) and the clients use as their trust store.
 */
public final class TestKeyStore implements LauncherSessionListener {
    static final String PASSWORD = "libchan-it";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "tls")).toAbsolutePath();
            Path store = dir.resolve("libchan-it.p12");
            Files.deleteIfExists(store);
            Path log = dir.resolve("keytool.log");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "libchan-it", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + Files.readString(log));
            }
            System.setProperty("it.keystore", store.toString());
            System.setProperty("it.keystore.password", PASSWORD);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test key store", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted making the test key store", e);
        }
    }

    /** The query that makes a {@code tls://} client trust the WAR's TLS listener. */
    static String trustQuery() {
        return "truststore=" + System.getProperty("it.keystore") + "&truststorePassword=" + System.getProperty("it.keystore.password");
    }
}
