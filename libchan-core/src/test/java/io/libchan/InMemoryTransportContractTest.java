package io.libchan;

import io.libchan.contract.TransportContractTest;
import io.libchan.contract.TransportPair;
import io.libchan.internal.inmem.InMemoryTransport;

class InMemoryTransportContractTest extends TransportContractTest {
    @Override
    protected TransportPair connect() {
        InMemoryTransport[] pair = InMemoryTransport.pair();
        return new TransportPair(pair[0], pair[1]);
    }

    @Override
    protected String transportName() {
        return "inmem";
    }
}
