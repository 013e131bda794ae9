package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.DataFrame;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynReplyFrame;
import io.libchan.internal.spdy.SynStreamFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session's codec, agreed in {@code libchan-ext} (PROTOCOL.md section 8): a Java client offers
 * {@code codec=NAME} and encodes nothing before the answer; a peer that does not answer it (Go,
 * jschan) gets msgpack; our server takes an offered codec it has.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireCodecNegotiationTest {
    private static final Settings JSON = Settings.builder().codec("json").build();

    @Test
    void clientOffersItsCodecAndSendsMsgpackToAPeerThatDoesNotAnswerIt() throws Exception {
        try (RawSpdyPeer.Server raw = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(raw.uri(), JSON);
            try (RawSpdyPeer peer = raw.accept()) {
                Sender out = client.newSendChannel();
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> out.send(Map.of("Cmd", "hi")));
                SynStreamFrame syn = peer.expectFrame(SynStreamFrame.class);
                String ext = syn.headers().get("libchan-ext");
                assertTrue(ext.contains("codec=json"), "offered: " + ext);
                // Go's answer: no libchan-ext at all
                peer.send(new SynReplyFrame(syn.streamId(), false, SpdyHeaders.of(":status", "200")));
                DataFrame data = peer.awaitData(syn.streamId());
                assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("hi"))), RawSpdyPeer.hex(data.data()),
                        "msgpack, as to any peer that did not take the codec");
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                client.abort();
            }
        }
    }

    @Test
    void clientWritesNothingBeforeTheAnswerThenTheAgreedCodec() throws Exception {
        try (RawSpdyPeer.Server raw = RawSpdyPeer.listen()) {
            Transport client = Libchan.connect(raw.uri(), JSON);
            try (RawSpdyPeer peer = raw.accept()) {
                Sender out = client.newSendChannel();
                CompletableFuture<Void> sent = out.sendAsync(Map.of("cmd", "hi"));
                SynStreamFrame syn = peer.expectFrame(SynStreamFrame.class);
                peer.sync(); // the send was made meanwhile: no DATA may have come before the answer
                peer.send(new SynReplyFrame(syn.streamId(), false,
                        SpdyHeaders.of(":status", "200", "libchan-ext", "flow-control,codec=json")));
                DataFrame data = peer.awaitData(syn.streamId());
                assertEquals("{\"cmd\":\"hi\"}\n", new String(data.data(), StandardCharsets.UTF_8));
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                client.abort();
            }
        }
    }

    @Test
    void ourServerTakesAnOfferedCodecItHasAndDecodesIt() throws Exception {
        RawSpdyPeer.againstOurServer("flow-control,codec=json", (peer, server, top) -> {
            assertTrue(top.headers().get("libchan-ext").contains("codec=json"), "answer: " + top.headers());
            peer.sendData(1, "{\"cmd\":\"hi\",\"n\":[1,2]}\n".getBytes(StandardCharsets.UTF_8));
            Map<?, ?> got = server.waitReceiveChannel(WAIT).receive(Map.class, WAIT);
            assertEquals("hi", got.get("cmd"));
        });
    }

    @Test
    void ourServerDeclinesACodecItDoesNotHaveAndSpeaksMsgpack() throws Exception {
        RawSpdyPeer.againstOurServer("flow-control,codec=no-such-codec", (peer, server, top) -> {
            assertFalse(top.headers().get("libchan-ext").contains("codec="), "answer: " + top.headers());
            peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("hi")));
            assertEquals("hi", server.waitReceiveChannel(WAIT).receive(Map.class, WAIT).get("Cmd"));
        });
    }

    @Test
    void aListenerSetToOneCodecDeclinesAnother() throws Exception {
        Settings jsonOnly = Settings.builder().codec("json").build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), jsonOnly);
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "libchan-ext", "codec=" + FaultyCodec.NAME)));
                SynReplyFrame top = peer.awaitSynReply(1);
                assertNull(CodecOf.answer(top), "answer: " + top.headers());
                peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("hi")));
                assertEquals("hi", server.waitReceiveChannel(WAIT).receive(Map.class, WAIT).get("Cmd"));
            } finally {
                server.abort();
            }
        }
    }

    @Test
    void javaPeersAgreeOnJsonAndCarryAReplyChannel() throws Exception {
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), Settings.defaults())) {
            Transport client = Libchan.connect(URI.create(listener.uri() + "?codec=json"), Settings.defaults());
            Transport server = listener.accept(WAIT);
            try {
                io.libchan.Pipe reply = io.libchan.Pipe.create();
                client.newSendChannel().send(Map.of("cmd", "ping", "ret", reply.sender()));
                Map<String, Object> req = server.waitReceiveChannel(WAIT).receive(Map.class, WAIT);
                ((Sender) req.get("ret")).send(Map.of("cmd", "pong"));
                assertEquals("pong", reply.receiver().receive(Map.class, WAIT).get("cmd"));
            } finally {
                client.abort();
                server.abort();
            }
        }
    }

    @Test
    void anUnknownCodecNameFailsAtOnceNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.builder().codec("yaml"));
        assertTrue(e.getMessage().contains("'yaml'"), e.getMessage());
        IllegalArgumentException fromUri = assertThrows(IllegalArgumentException.class,
                () -> Libchan.connect(URI.create("tcp://127.0.0.1:1?codec=yaml"), Settings.defaults()));
        assertTrue(fromUri.getMessage().contains("'yaml'"), fromUri.getMessage());
    }

    /** The codec named in a SYN_REPLY's {@code libchan-ext}, or null. */
    private static final class CodecOf {
        static String answer(SynReplyFrame reply) {
            String ext = reply.headers().get("libchan-ext");
            if (ext == null) {
                return null;
            }
            for (String e : ext.split(",")) {
                if (e.trim().startsWith("codec=")) {
                    return e.trim();
                }
            }
            return null;
        }
    }
}
