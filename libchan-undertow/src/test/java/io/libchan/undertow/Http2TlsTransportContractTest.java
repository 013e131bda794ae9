package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

/** The transport contract through the HTTP/2 tunnel over TLS ({@code https://}, ALPN h2). */
class Http2TlsTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() throws Exception {
        Listener listener = Libchan.listen(URI.create("https://127.0.0.1:0/libchan"), TestCertificates.server());
        Transport client = Libchan.connect(listener.uri(), TestCertificates.client());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "h2";
    }
}
