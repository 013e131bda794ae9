package io.libchan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed PKCS#12 key store for localhost, made once per run with the JDK's keytool. */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";
    private static Path keyStore;

    private TestCertificates() {
    }

    public static synchronized Path keyStore() throws IOException, InterruptedException {
        if (keyStore != null) {
            return keyStore;
        }
        Path dir = Files.createTempDirectory("libchan-tls");
        Path ks = dir.resolve("localhost.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        keyStore = ks;
        return ks;
    }
}
