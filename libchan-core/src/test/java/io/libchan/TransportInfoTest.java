package io.libchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Transport#info()}: who is on the other end, and what went through the session. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportInfoTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aTcpServerSessionNamesItsClientAndCountsBothWays() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults());
             Transport client = Libchan.connect(listener.uri(), Settings.defaults())) {
            Transport server = listener.accept(WAIT);
            Sender request = client.newSendChannel();
            Pipe reply = Pipe.buffered(4);
            request.send(Map.of("Cmd", "ping", "Ret", reply.sender()));
            request.send(Map.of("Cmd", "ping2"));
            Receiver served = server.waitReceiveChannel(WAIT);
            Map<?, ?> first = served.receive(Map.class, WAIT);
            served.receive(Map.class, WAIT);
            ((Sender) first.get("Ret")).send(Map.of("ok", true));
            reply.receiver().receive(Map.class, WAIT);

            TransportInfo s = server.info();
            assertEquals("tcp", s.transport());
            assertTrue(s.peerAddress().orElseThrow().startsWith("127.0.0.1:"), s.toString());
            assertEquals(Optional.of(Dialect.HEAD), s.dialect());
            assertEquals(2, s.messagesReceived());
            assertEquals(1, s.messagesSent(), "the reply");
            assertTrue(s.bytesReceived() > 0 && s.bytesSent() > 0, s.toString());
            assertTrue(s.openChannels() >= 1, "the request channel is still open: " + s);

            TransportInfo c = client.info();
            assertEquals("tcp", c.transport());
            assertEquals(Optional.of("127.0.0.1:" + listener.uri().getPort()), c.peerAddress());
            assertEquals(2, c.messagesSent());
            assertEquals(1, c.messagesReceived());
            assertTrue(c.bytesSent() >= s.bytesReceived() - 64, "what one wrote the other read: " + c + " / " + s);
            server.abort();
        }
    }

    @Test
    void anInMemorySessionHasNoPeerAddressAndCountsTopLevelMessages() {
        Transport[] pair = io.libchan.internal.inmem.InMemoryTransport.pair();
        Sender sender = pair[0].newSendChannel();
        sender.send("one");
        sender.send("two");
        Receiver receiver = pair[1].waitReceiveChannel(WAIT);
        assertEquals("one", receiver.receive(String.class, WAIT));

        TransportInfo a = pair[0].info();
        assertEquals("inmem", a.transport());
        assertEquals(Optional.empty(), a.peerAddress());
        assertEquals(Optional.empty(), a.dialect());
        assertEquals(2, a.messagesSent());
        assertEquals(0, a.bytesSent());
        assertEquals(1, a.openChannels());
        assertEquals(2, pair[1].info().messagesReceived());
        sender.close();
        assertEquals(0, pair[0].info().openChannels());
        pair[0].close();
    }
}
