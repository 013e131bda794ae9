package io.libchan.contract;

import io.libchan.Transport;

/** Two connected sessions for a contract test, and whatever must be closed after it. */
public record TransportPair(Transport client, Transport server, AutoCloseable resources) implements AutoCloseable {
    public TransportPair(Transport client, Transport server) {
        this(client, server, () -> { });
    }

    @Override
    public void close() throws Exception {
        client.abort();
        server.abort();
        resources.close();
    }
}
