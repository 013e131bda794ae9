package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.ProtocolException;
import io.libchan.Transport;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code stored-headers} extension (PROTOCOL.md section 8) from a raw peer: once a peer has
 * listed it, its header blocks are read without zlib; a peer that did not list it keeps being
 * inflated, whatever else it offered.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireStoredHeadersTest {
    private Listener listener;
    private RawSpdyPeer peer;
    private Transport server;
    private AutoCloseable echo;

    @BeforeEach
    void connect() throws Exception {
        listener = Libchan.listen("tcp://127.0.0.1:0");
        peer = RawSpdyPeer.connect(listener.uri());
        server = listener.accept(WAIT);
        echo = EchoApp.serve(server);
    }

    @AfterEach
    void close() throws Exception {
        echo.close();
        peer.close();
        server.abort();
        listener.close();
    }

    /** Opens top-level channel 1 offering {@code ext}; returns the extensions our SYN_REPLY answered. */
    private String offer(String ext) {
        peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "libchan-ext", ext)));
        SynReplyFrame reply = peer.awaitSynReply(1);
        return reply.headers().get("libchan-ext");
    }

    /** Twenty requests, each opening a top-level channel and a reply channel: forty header blocks. */
    private void twentyRoundTrips() {
        for (int i = 0; i < 20; i++) {
            int top = 3 + 4 * i;
            peer.roundTrip(top, top, top + 2, top + 2, "request " + i);
        }
    }

    @Test
    void storedBlocksFromAPeerThatListedStoredHeadersAreRead() {
        peer.storeLaterBlocks();
        String answered = offer("flow-control,channel-names,stored-headers");
        assertTrue(List.of(answered.split(",")).contains("stored-headers"), "answered " + answered);
        twentyRoundTrips();
        assertTrue(server.isOpen());
    }

    @Test
    void aPeerThatDidNotListStoredHeadersKeepsBeingInflated() {
        String answered = offer("flow-control,channel-names");
        assertFalse(List.of(answered.split(",")).contains("stored-headers"), "answered " + answered);
        twentyRoundTrips(); // coded (not stored) blocks: they would be a framing error if read as stored
        assertTrue(server.isOpen());
    }

    @Test
    void aCodedBlockAfterThePromiseIsAFramingErrorThatEndsOnlyThatSession() throws Exception {
        offer("stored-headers");
        peer.openChannel(3, 3); // coded by zlib at level 9, not stored

        assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, RawSpdyPeer.goAwayIn(peer.expectClosed(WAIT)).status());
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            while (true) {
                server.waitReceiveChannel(WAIT); // channel 1, if the echo app has not taken it yet
            }
        });
        assertTrue(e.getMessage().contains("stored"), e.getMessage());
        try (RawSpdyPeer other = RawSpdyPeer.connect(listener.uri())) {
            Transport otherServer = listener.accept(WAIT);
            try (AutoCloseable otherEcho = EchoApp.serve(otherServer)) {
                other.roundTrip(1, 1, 3, 3, "another session");
            } finally {
                otherServer.abort();
            }
        }
    }
}
