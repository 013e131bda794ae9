package io.libchan.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.MessageListener;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription with a direct executor runs on the connection's I/O thread. When a message names
 * a stream the peer opens only after the message (jschan on node 0.10 does), decoding it there
 * used to wait for that opening on the very thread that reads it: the message was refused after
 * {@code refWaitTimeout} and the I/O thread stood still meanwhile. Now such a delivery moves to the
 * session's executor, and the message arrives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireDirectSubscriberTest {

    @Test
    void directSubscriberGetsAMessageWhoseStreamOpensAfterIt() throws Exception {
        Settings settings = Settings.builder().refWaitTimeout(Duration.ofSeconds(2)).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            peer.openChannel(1, 2);
            Transport server = listener.accept(RawSpdyPeer.WAIT);
            try {
                Receiver channel = server.waitReceiveChannel();
                CompletableFuture<Object> got = new CompletableFuture<>();
                channel.subscribe(Object.class, Runnable::run, new MessageListener<Object>() {
                    @Override
                    public void onMessage(Object message) {
                        Sender ret = Messages.replyChannel(message).orElseThrow();
                        ret.sendAsync(Map.of("Cmd", Messages.field(message, "Cmd").orElse(""))).whenComplete((d, e) -> ret.close());
                        got.complete(message);
                    }

                    @Override
                    public void onEnd() {
                    }

                    @Override
                    public void onError(LibchanException error) {
                        got.completeExceptionally(error);
                    }
                });
                peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("late"), "Ret", Msgpack.ext(4, 3)));
                peer.openNested(3, 2, 3); // after the message that names it
                assertEquals("late", Messages.field(got.get(30, TimeUnit.SECONDS), "Cmd").orElseThrow());
                DataFrame reply = peer.awaitData(3);
                assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("late"))), RawSpdyPeer.hex(reply.data()));
            } finally {
                server.abort();
            }
        }
    }
}
