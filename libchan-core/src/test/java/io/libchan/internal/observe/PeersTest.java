package io.libchan.internal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The transport and the peer's address as {@link io.libchan.TransportInfo} shows them, from wire descriptions. */
class PeersTest {

    @Test
    void anAcceptedTcpConnectionIsNamedByItsRemoteAddress() {
        assertEquals("tcp", Peers.transportOf("tcp:///127.0.0.1:52114"));
        assertEquals("127.0.0.1:52114", Peers.peerOf("tcp:///127.0.0.1:52114"));
    }

    @Test
    void aClientNamesTheAddressItDialled() {
        assertEquals("localhost:9323", Peers.peerOf("tls://localhost:9323"));
        assertEquals("example.org:443", Peers.peerOf("wss://example.org:443/libchan"));
    }

    @Test
    void aUnixSocketIsNamedByItsPath() {
        assertEquals("unix", Peers.transportOf("unix:///run/app/libchan.sock"));
        assertEquals("/run/app/libchan.sock", Peers.peerOf("unix:///run/app/libchan.sock"));
    }

    @Test
    void theHttp2TunnelIsH2WhicheverSideDescribesIt() {
        assertEquals("h2c", Peers.transportOf("h2c://10.0.0.7:40112 stream /libchan/session"));
        assertEquals("10.0.0.7:40112", Peers.peerOf("h2c://10.0.0.7:40112 stream /libchan/session"));
        assertEquals("h2", Peers.transportOf("https://example.org:8443/libchan/session"));
        assertEquals("h2c", Peers.transportOf("http://127.0.0.1:8080/libchan/session"));
    }

    @Test
    void aDescriptionWithoutASchemeIsUnknown() {
        assertEquals("unknown", Peers.transportOf("in-memory client"));
        assertEquals("in-memory client", Peers.peerOf("in-memory client"));
    }

    /** libchan-rest-fallback's WebSocket sessions: Jakarta WebSocket tells the path, not the peer's address. */
    @Test
    void aWebSocketWithoutThePeersAddressIsStillAWebSocket() {
        assertEquals("ws", Peers.transportOf("ws:/app/api/libchan/ws (alice)"));
        assertEquals("wss", Peers.transportOf("wss:/app/api/libchan/ws (anonymous)"));
        assertNull(Peers.peerOf("ws:/app/api/libchan/ws (alice)"));
    }
}
