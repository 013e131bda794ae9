package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.ChannelClosedException;
import io.libchan.Libchan;
import io.libchan.Sender;
import io.libchan.SessionRefusedException;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.GoAwayFrame;
import io.libchan.internal.spdy.RstStreamFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SpdyStatus;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Java client turned away by an authenticating server (PROTOCOL.md section 4.6: REFUSED_STREAM on
 * its first channel, then GOAWAY with last-good-stream-id 0) tells it apart from any other end: its
 * sends and its session's end fail with {@link SessionRefusedException}. A server that was only going
 * away (its GOAWAY first, then the refusal of what came after) is not a refusal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireSessionRefusedTest {

    @Test
    void aClientRefusedOnItsFirstChannelSeesSessionRefusedException() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri(), Settings.builder().bearerToken("expired").build());
                RawSpdyPeer authenticating = server.accept()) {
            Sender first = client.newSendChannel("trade");
            first.send(Map.of("n", 1));
            SynStreamFrame one = authenticating.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            assertEquals("Bearer expired", one.headers().get("authorization"));
            authenticating.send(new SynReplyFrame(1, false, SpdyHeaders.of(":status", "200")));
            authenticating.send(new RstStreamFrame(1, SpdyStatus.RST_REFUSED_STREAM));
            authenticating.send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));

            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> client.closeFuture().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SessionRefusedException.class, ended.getCause());
            assertThrows(SessionRefusedException.class, () -> first.send(Map.of("n", 2)));
            assertFalse(client.isOpen());
        }
    }

    @Test
    void aServerGoingAwayBeforeTheChannelIsNotARefusal() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri(), Settings.defaults());
                RawSpdyPeer closing = server.accept()) {
            Sender first = client.newSendChannel();
            first.send(Map.of("n", 1));
            closing.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            closing.send(new GoAwayFrame(0, SpdyStatus.GOAWAY_OK));
            closing.send(new RstStreamFrame(1, SpdyStatus.RST_REFUSED_STREAM));
            closing.close();

            client.closeFuture().handle((v, e) -> e).get(30, TimeUnit.SECONDS);
            ChannelClosedException send = assertThrows(ChannelClosedException.class, () -> first.send(Map.of("n", 2)));
            assertFalse(send instanceof SessionRefusedException, send.toString());
        }
    }
}
