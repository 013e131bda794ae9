package io.libchan.it;

import io.libchan.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Client certificates for mutual TLS against a raw listener of a WAR, made once per test JVM with the
 * JDK's keytool in {@code target/tls-clients}: one PKCS#12 key store per user ({@code CN=<user>}), and
 * the trust store the listener checks them against, holding them all (whether a user is let in is the
 * server's security domain's call, not the handshake's). The clients trust the listener's own
 * certificate ({@link TestKeyStore}).
 */
final class ClientCertificates {
    static final String PASSWORD = "libchan-it";
    /** The demo user of WildFly's ApplicationRealm (group libchan), its guest (no group), and a stranger it does not know. */
    static final List<String> USERS = List.of("libchan", "guest", "mallory");
    private static Path dir;

    private ClientCertificates() {
    }

    /** The directory of {@code <user>.p12} and {@code trust.p12}, made on first use. */
    static synchronized Path dir() {
        if (dir != null) {
            return dir;
        }
        try {
            Path d = Files.createDirectories(Path.of("target", "tls-clients")).toAbsolutePath();
            Files.deleteIfExists(d.resolve("trust.p12"));
            for (String user : USERS) {
                Files.deleteIfExists(d.resolve(user + ".p12"));
                keytool(d, "-genkeypair", "-alias", user, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                        "-dname", "CN=" + user, "-storetype", "PKCS12", "-keystore", d.resolve(user + ".p12").toString(),
                        "-storepass", PASSWORD);
                keytool(d, "-exportcert", "-alias", user, "-keystore", d.resolve(user + ".p12").toString(),
                        "-storepass", PASSWORD, "-file", d.resolve(user + ".cer").toString());
                keytool(d, "-importcert", "-noprompt", "-alias", user, "-file", d.resolve(user + ".cer").toString(),
                        "-storetype", "PKCS12", "-keystore", d.resolve("trust.p12").toString(), "-storepass", PASSWORD);
            }
            dir = d;
            return d;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the client certificates", e);
        }
    }

    /** The trust store a listener checks the client certificates against. */
    static Path trustStore() {
        return dir().resolve("trust.p12");
    }

    /** Settings of a client presenting {@code user}'s certificate and trusting the listener's. */
    static Settings client(String user) {
        return Settings.builder()
                .keyStore(dir().resolve(user + ".p12")).keyStorePassword(PASSWORD)
                .trustStore(Path.of(System.getProperty("it.keystore"))).trustStorePassword(System.getProperty("it.keystore.password"))
                .build();
    }

    private static void keytool(Path d, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Path log = d.resolve("keytool.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
