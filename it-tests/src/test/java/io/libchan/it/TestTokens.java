package io.libchan.it;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON Web Tokens signed RS256 with a throwaway RSA key of this test JVM (JWS compact form, written
 * here with the JDK alone), and the public key a server verifies them with.
 */
final class TestTokens {
    static final String ISSUER = "https://issuer.libchan.it";
    private static final KeyPair KEYS = rsa();
    private static final KeyPair OTHER = rsa();

    private TestTokens() {
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verification key as MicroProfile JWT's {@code mp.jwt.verify.publickey} takes it: base64 of its X.509 encoding. */
    static String publicKey() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /** A token of {@code user} in {@code groups}, expiring at {@code expires}, signed by the server's key. */
    static String token(String user, List<String> groups, Instant expires) {
        return sign(user, groups, expires, KEYS.getPrivate());
    }

    /** The same, signed by a key the server does not know. */
    static String forged(String user, List<String> groups, Instant expires) {
        return sign(user, groups, expires, OTHER.getPrivate());
    }

    private static String sign(String user, List<String> groups, Instant expires, PrivateKey key) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"upn\":\"" + user + "\",\"groups\":["
                + groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "],\"iat\":"
                + (expires.getEpochSecond() - 3600) + ",\"exp\":" + expires.getEpochSecond() + "}";
        String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
