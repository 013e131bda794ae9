package io.libchan.cdi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key and trust stores for mutual TLS, made once per test JVM with the JDK's keytool: a server
 * certificate for 127.0.0.1, client certificates {@code CN=worker-1} and {@code CN=stranger} (both
 * trusted by the server: whether they are let in is the application's call), and the trust stores.
 * PKCS#12, one password.
 */
final class TlsStores {
    static final String PASSWORD = "changeit";
    private static Path dir;

    private TlsStores() {
    }

    /** The directory holding server.p12, server-trust.p12, client-trust.p12, worker.p12 and stranger.p12. */
    static synchronized Path dir() throws IOException, InterruptedException {
        if (dir != null) {
            return dir;
        }
        Path d = Files.createDirectories(Path.of("target", "test-mtls"));
        for (String f : List.of("server", "worker", "stranger", "server-trust", "client-trust")) {
            Files.deleteIfExists(d.resolve(f + ".p12"));
            Files.deleteIfExists(d.resolve(f + ".cer"));
        }
        key(d, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        key(d, "worker", "CN=worker-1", null);
        key(d, "stranger", "CN=stranger", null);
        trust(d, "client-trust", "server");
        trust(d, "server-trust", "worker");
        trust(d, "server-trust", "stranger");
        dir = d;
        return d;
    }

    /** The listen URI of a {@code tls://} server that needs a client certificate. */
    static String serverUri() throws IOException, InterruptedException {
        Path d = dir().toAbsolutePath();
        return "tls://127.0.0.1:0?keystore=" + d.resolve("server.p12") + "&keystorePassword=" + PASSWORD
                + "&truststore=" + d.resolve("server-trust.p12") + "&truststorePassword=" + PASSWORD + "&clientAuth=need";
    }

    /** Client settings presenting the certificate of {@code who} (worker or stranger). */
    static io.libchan.Settings client(String who) throws IOException, InterruptedException {
        Path d = dir().toAbsolutePath();
        return io.libchan.Settings.builder().trustStore(d.resolve("client-trust.p12")).trustStorePassword(PASSWORD)
                .keyStore(d.resolve(who + ".p12")).keyStorePassword(PASSWORD).build();
    }

    private static void key(Path d, String alias, String dname, String ext) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", dname, "-storetype", "PKCS12",
                "-keystore", d.resolve(alias + ".p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (ext != null) {
            cmd.addAll(List.of("-ext", ext));
        }
        run(cmd, d);
        run(List.of(keytool(), "-exportcert", "-alias", alias, "-keystore", d.resolve(alias + ".p12").toString(),
                "-storepass", PASSWORD, "-file", d.resolve(alias + ".cer").toString()), d);
    }

    private static void trust(Path d, String store, String alias) throws IOException, InterruptedException {
        run(List.of(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", d.resolve(alias + ".cer").toString(),
                "-storetype", "PKCS12", "-keystore", d.resolve(store + ".p12").toString(), "-storepass", PASSWORD), d);
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> cmd, Path d) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(d.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + Files.readString(d.resolve("keytool.log")));
        }
    }
}
