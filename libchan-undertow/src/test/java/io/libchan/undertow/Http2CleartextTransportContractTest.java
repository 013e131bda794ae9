package io.libchan.undertow;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

/** The transport contract through the HTTP/2 tunnel over {@code h2c://} (prior knowledge). */
class Http2CleartextTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() {
        Listener listener = Libchan.listen(URI.create("h2c://127.0.0.1:0"), Settings.defaults());
        Transport client = Libchan.connect(listener.uri(), Settings.defaults());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "h2c";
    }
}
