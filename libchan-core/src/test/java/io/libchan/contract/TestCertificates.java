package io.libchan.contract;

import io.libchan.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test JVM with the JDK's
 * keytool, as a PKCS#12 store that serves as both key store (server) and trust store (client).
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";
    private static Path store;
    private static Path expired;
    private static Path client;

    private TestCertificates() {
    }

    public static synchronized Path store() throws IOException, InterruptedException {
        if (store != null) {
            return store;
        }
        Path dir = Files.createDirectories(Path.of("target", "test-tls"));
        Path file = dir.resolve("server.p12");
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir.resolve("server.pem"));
        run(List.of(keytool(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD), dir);
        store = file;
        return store;
    }

    /** As {@link #store()}, with a certificate that expired eight days ago. */
    public static synchronized Path expiredStore() throws IOException, InterruptedException {
        if (expired != null) {
            return expired;
        }
        Path dir = Files.createDirectories(Path.of("target", "test-tls"));
        Path file = dir.resolve("expired.p12");
        Files.deleteIfExists(file);
        run(List.of(keytool(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-startdate", "-10d", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD), dir);
        expired = file;
        return expired;
    }

    /** A self-signed client certificate, subject {@code CN=alice}: a client's key store, a server's trust store. */
    public static synchronized Path clientStore() throws IOException, InterruptedException {
        if (client != null) {
            return client;
        }
        Path dir = Files.createDirectories(Path.of("target", "test-tls"));
        Path file = dir.resolve("client.p12");
        Files.deleteIfExists(file);
        run(List.of(keytool(), "-genkeypair", "-alias", "client",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=alice", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD), dir);
        client = file;
        return client;
    }

    /** The certificate as PEM, for outside clients (curl --cacert, HAProxy). */
    public static synchronized Path pem() throws IOException, InterruptedException {
        Path file = store().resolveSibling("server.pem");
        if (!Files.exists(file)) {
            run(List.of(keytool(), "-exportcert", "-rfc", "-alias", "server", "-keystore", store().toString(),
                    "-storepass", PASSWORD, "-file", file.toString()), file.getParent());
        }
        return file;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
    }

    /** Certificate and private key in one PEM file, as HAProxy's {@code crt} wants them. */
    public static synchronized Path certificateAndKeyPem() throws Exception {
        Path file = store().resolveSibling("server-with-key.pem");
        java.security.KeyStore ks = java.security.KeyStore.getInstance(store().toFile(), PASSWORD.toCharArray());
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String pem = "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(ks.getCertificate("server").getEncoded())
                + "\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(ks.getKey("server", PASSWORD.toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file, pem);
        return file;
    }

    /** Server settings: our certificate as the key store. */
    public static Settings server() throws IOException, InterruptedException {
        return Settings.builder().keyStore(store()).keyStorePassword(PASSWORD).build();
    }

    /** Client settings: our certificate as the only trusted one (host names are checked). */
    public static Settings client() throws IOException, InterruptedException {
        return Settings.builder().trustStore(store()).trustStorePassword(PASSWORD).build();
    }
}
