package io.libchan.transport;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

class TcpTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() {
        Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
        Transport client = Libchan.connect(listener.uri(), Settings.defaults());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "tcp";
    }
}
