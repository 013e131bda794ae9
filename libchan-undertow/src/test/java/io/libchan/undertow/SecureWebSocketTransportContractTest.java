package io.libchan.undertow;

import io.libchan.contract.TestCertificates;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

/** The transport contract over {@code wss://}, with the certificate's host name checked. */
class SecureWebSocketTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() throws Exception {
        Listener listener = Libchan.listen(URI.create("wss://127.0.0.1:0/libchan"), TestCertificates.server());
        Transport client = Libchan.connect(listener.uri(), TestCertificates.client());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "wss";
    }
}
