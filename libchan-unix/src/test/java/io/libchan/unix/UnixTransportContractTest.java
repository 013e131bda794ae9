package io.libchan.unix;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

class UnixTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() throws Exception {
        Path dir = Files.createTempDirectory("libchan-unix");
        URI uri = URI.create("unix://" + dir.resolve("test.sock"));
        Listener listener = Libchan.listen(uri, Settings.defaults());
        Transport client = Libchan.connect(uri, Settings.defaults());
        Transport server = listener.accept(Duration.ofSeconds(10));
        return new TransportPair(client, server, listener);
    }

    @Override
    protected String transportName() {
        return "unix";
    }
}
