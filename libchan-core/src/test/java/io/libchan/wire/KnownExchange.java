package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageTooLargeException;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One known exchange with a listener whose {@code maxMessageBytes} is {@link #MAX_MESSAGE}: a
 * libchan client sends 3 messages that are taken, then one too large that is refused; a raw peer
 * then sends an upper-case header name, a protocol error that ends its session. For the tests of
 * what an operator sees (metrics, JFR, logs).
 */
final class KnownExchange implements AutoCloseable {
    static final int MAX_MESSAGE = 1024;

    final Transport client;
    final Transport goodServer;
    final RawSpdyPeer bad;
    final Transport badServer;

    private KnownExchange(Transport client, Transport goodServer, RawSpdyPeer bad, Transport badServer) {
        this.client = client;
        this.goodServer = goodServer;
        this.bad = bad;
        this.badServer = badServer;
    }

    static Settings listenerSettings() {
        return Settings.builder().maxMessageBytes(MAX_MESSAGE).build();
    }

    /** Runs the exchange; returns once the bad session has ended on the server. */
    static KnownExchange run(Listener listener) throws Exception {
        Transport client = Libchan.connect(listener.uri(), Settings.builder().openTelemetry(
                io.opentelemetry.api.OpenTelemetry.noop()).build());
        Transport server = listener.accept(WAIT);
        Sender sender = client.newSendChannel(); // the peer hears of it with its first message
        for (int i = 0; i < 3; i++) {
            sender.send(Map.of("n", i));
        }
        Receiver receiver = server.waitReceiveChannel(WAIT);
        for (int i = 0; i < 3; i++) {
            assertEquals(i, ((Number) receiver.receive(Map.class, WAIT).get("n")).intValue());
        }
        Sender big = client.newSendChannel();
        big.send(Map.of("blob", "x".repeat(4 * MAX_MESSAGE)));
        Receiver refused = server.waitReceiveChannel(WAIT);
        assertThrows(MessageTooLargeException.class, () -> refused.receive(Map.class, WAIT));

        RawSpdyPeer bad = RawSpdyPeer.connect(listener.uri());
        Transport badServer = listener.accept(WAIT);
        bad.sendSynStream(1, 0, 0, RawSpdyPeer.rawBlock("Libchan-Ref", "2"));
        bad.expectClosed(WAIT);
        // it ends with the protocol error
        badServer.closeFuture().handle((v, e) -> e).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return new KnownExchange(client, server, bad, badServer);
    }

    /**
     * Aborts the server's ends first: the good session then ends by the server's own abort (not a
     * failure), never by the client's close racing it ("the peer closed the connection").
     */
    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(goodServer::abort, badServer::abort, bad, client::abort)) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
    }
}
