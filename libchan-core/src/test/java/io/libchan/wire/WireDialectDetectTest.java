package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Transport;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.testing.Parked;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that opens a channel before its client opened any does not know the client's dialect
 * yet: it waits for the client's first SYN_STREAM, up to {@code dialectDetectTimeout}, and then
 * assumes head (PROTOCOL.md section 6, "Detection").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireDialectDetectTest {

    /** The server application opens a channel and sends on it, on a thread of its own. */
    private static Thread sendFirst(Transport server, CompletableFuture<Void> sent) {
        Thread t = new Thread(() -> {
            try {
                server.newSendChannel().send(Map.of("Cmd", "first"));
                sent.complete(null);
            } catch (RuntimeException e) {
                sent.completeExceptionally(e);
            }
        }, "server-opens-first");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aServerThatOpensFirstWaitsForTheClientsFirstStreamAndSpeaksItsDialect() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0?dialectDetectTimeout=30s");
                RawSpdyPeer goV010 = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                Parked.await(sendFirst(server, sent)); // waiting for the dialect, nothing written
                assertFalse(sent.isDone());

                // a Go v0.1.0 client's first stream: libchan-parent-ref 0
                goV010.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-parent-ref", "0", "libchan-ref", "1")));

                SynStreamFrame opened = goV010.awaitFrame(SynStreamFrame.class, f -> f.streamId() % 2 == 0);
                assertEquals("0", opened.headers().get("libchan-parent-ref"), "a v0.1.0 top-level channel: " + opened);
                assertEquals("2", opened.headers().get("libchan-ref"), "a server's first v0.1.0 ref: " + opened);
                // and the message in v0.1.0's one-message-per-frame form
                assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("first"))),
                        RawSpdyPeer.hex(goV010.awaitData(opened.streamId()).data()));
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                server.abort();
            }
        }
    }

    @Test
    void aServerThatHearsNothingAssumesHeadAfterDialectDetectTimeout() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0?dialectDetectTimeout=200ms");
                RawSpdyPeer silent = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                sendFirst(server, sent);

                SynStreamFrame opened = silent.awaitFrame(SynStreamFrame.class, f -> f.streamId() % 2 == 0, WAIT);
                assertNull(opened.headers().get("libchan-parent-ref"), "a head top-level channel: " + opened);
                assertEquals("2", opened.headers().get("libchan-ref"));
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                server.abort();
            }
        }
    }
}
