package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A large message from the server to the client through the HTTP/2 tunnel over TLS: the server's
 * big writes go out as full-size TLS records (16 KiB of data, 16,709 bytes on the wire), which the
 * client must be able to take in whole. The contract suite sends its large message the other way.
 */
@Timeout(60)
class Http2TlsFullRecordsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void largeMessageFromServerArrivesWhole() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        new Random(11).nextBytes(big);
        try (Listener listener = Libchan.listen(URI.create("https://127.0.0.1:0/libchan"), TestCertificates.server())) {
            Transport client = Libchan.connect(listener.uri(), TestCertificates.client());
            Transport server = listener.accept(WAIT);
            try {
                server.newSendChannel().send(Map.of("blob", big));
                @SuppressWarnings("unchecked")
                Map<String, Object> got = client.waitReceiveChannel(WAIT).receive(Map.class, WAIT);
                assertArrayEquals(big, (byte[]) got.get("blob"));
            } finally {
                client.abort();
                server.abort();
            }
        }
    }
}
