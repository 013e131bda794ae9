package io.libchan.undertow;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.time.Duration;

/** The transport contract over the {@code libchan.json} WebSocket framing (what browsers speak). */
class JsonWebSocketTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() {
        Listener listener = Libchan.listen(URI.create("ws://127.0.0.1:0/libchan"), Settings.defaults());
        Transport client = Libchan.connect(URI.create(listener.uri() + "?codec=json"), Settings.defaults());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "ws";
    }
}
