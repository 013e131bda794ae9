package io.libchan.transport;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.contract.TestCertificates;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

/** The transport contract over {@code tls://}: TLS on the I/O threads (SSLEngine), host name checked. */
class TlsTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() throws Exception {
        Listener listener = Libchan.listen(URI.create("tls://127.0.0.1:0"), TestCertificates.server());
        Transport client = Libchan.connect(URI.create("tls://localhost:" + listener.uri().getPort()), TestCertificates.client());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "tls";
    }
}
