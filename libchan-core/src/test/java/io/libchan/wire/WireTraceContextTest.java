package io.libchan.wire;

import static io.libchan.wire.RawSpdyPeer.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.internal.spdy.SpdyHeaders;
import io.libchan.internal.spdy.SynStreamFrame;
import io.libchan.internal.trace.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trace context on channels (PROTOCOL.md section 8): a side that opens a stream while its thread
 * runs in a span puts the span's W3C {@code traceparent} (and {@code tracestate}) on the stream's
 * SYN_STREAM; a side with no span sends nothing; the receiver hands the values to the application
 * as they came, and a malformed one is ignored when extracted. No OpenTelemetry SDK is installed
 * here: the span is a remote span context made current by hand, as a server does with the trace of
 * an incoming call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireTraceContextTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
    /** A reference that opens its stream (implicit-open): this plus the stream id. */
    private static final long IMPLICIT = 0x8000_0000L;

    private static Scope inSpan() {
        SpanContext context = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
                TraceState.builder().put("vendor", "v1").build());
        return Span.wrap(context).makeCurrent();
    }

    private static Map<String, Object> request(String cmd, Pipe ret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Cmd", cmd);
        m.put("Ret", ret.sender());
        return m;
    }

    @Test
    void aClientInASpanPutsItsTraceOnTheTopLevelAndNestedStreamsItOpens() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri().toString());
                RawSpdyPeer peer = server.accept()) {
            try (Scope ignored = inSpan()) {
                client.newSendChannel("traced").send(request("hi", Pipe.create()));
            }
            SynStreamFrame top = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            SynStreamFrame ret = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 3);
            for (SynStreamFrame f : new SynStreamFrame[] {top, ret}) {
                assertEquals(TRACEPARENT, f.headers().get("traceparent"), f.toString());
                assertEquals("vendor=v1", f.headers().get("tracestate"), f.toString());
            }
        }
    }

    @Test
    void aClientOfferingASessionCodecPutsItsTraceOnItsFirstStreamToo() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri(), Settings.builder().codec("json").build());
                RawSpdyPeer peer = server.accept()) {
            try (Scope ignored = inSpan()) {
                client.newSendChannel("traced"); // the offer goes out with the SYN_STREAM, before any message
            }
            SynStreamFrame top = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            assertTrue(top.headers().get("libchan-ext").contains("json"), top.toString());
            assertEquals(TRACEPARENT, top.headers().get("traceparent"), top.toString());
        }
    }

    @Test
    void aClientWithNoSpanSendsNoTraceHeaders() throws Exception {
        try (RawSpdyPeer.Server server = RawSpdyPeer.listen();
                Transport client = Libchan.connect(server.uri().toString());
                RawSpdyPeer peer = server.accept()) {
            client.newSendChannel().send(request("hi", Pipe.create()));
            SynStreamFrame top = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            SynStreamFrame ret = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 3);
            for (SynStreamFrame f : new SynStreamFrame[] {top, ret}) {
                assertNull(f.headers().get("traceparent"), f.toString());
                assertNull(f.headers().get("tracestate"), f.toString());
            }
        }
    }

    @Test
    void betweenJavaPeersEachRequestsReplyChannelCarriesTheTraceOfItsSender() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                Transport client = Libchan.connect(listener.uri().toString())) {
            Sender channel = client.newSendChannel(); // opened outside any span
            channel.send(request("first", Pipe.create()));
            Transport server = listener.accept(WAIT);
            try {
                Receiver served = server.waitReceiveChannel(WAIT);
                assertEquals(Map.of(), served.traceContext(), "the channel was opened with no span");
                assertEquals(Map.of(), replyOf(served.receive(Object.class, WAIT)).traceContext());

                // the first answer made the peers Java to each other: reply channels would now open implicitly
                try (Scope ignored = inSpan()) {
                    channel.send(request("traced", Pipe.create()));
                }
                Map<String, String> trace = replyOf(served.receive(Object.class, WAIT)).traceContext();
                assertEquals(TRACEPARENT, trace.get(TraceHeaders.TRACEPARENT));
                assertEquals("vendor=v1", trace.get(TraceHeaders.TRACESTATE));
                SpanContext extracted = Span.fromContext(TraceHeaders.extract(Context.root(), trace)).getSpanContext();
                assertEquals(TRACE_ID, extracted.getTraceId());
                assertEquals(SPAN_ID, extracted.getSpanId());
                assertTrue(extracted.isRemote());

                channel.send(request("after", Pipe.create()));
                assertEquals(Map.of(), replyOf(served.receive(Object.class, WAIT)).traceContext(),
                        "outside the span again: nothing travels");
            } finally {
                server.abort();
            }
        }
    }

    @Test
    void aServerHandsOnAMalformedTraceparentThatExtractionThenIgnores() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                RawSpdyPeer peer = RawSpdyPeer.connect(listener.uri())) {
            Transport server = listener.accept(WAIT);
            try {
                peer.send(SynStreamFrame.open(1, SpdyHeaders.of("libchan-ref", "1", "traceparent", "00-not-a-trace-01")));
                peer.send(SynStreamFrame.open(3, SpdyHeaders.of("libchan-ref", "3", "tracestate", "vendor=v1")));
                Receiver bad = server.waitReceiveChannel(WAIT);
                assertEquals(Map.of("traceparent", "00-not-a-trace-01"), bad.traceContext());
                Context extracted = TraceHeaders.extract(Context.root(), bad.traceContext());
                assertFalse(Span.fromContext(extracted).getSpanContext().isValid(), "a malformed value starts no trace");
                assertEquals(Map.of(), server.waitReceiveChannel(WAIT).traceContext(), "a tracestate alone means nothing");
            } finally {
                server.abort();
            }
        }
    }

    @Test
    void anAsyncSendQueuedBehindTheWindowOpensItsNestedStreamsInTheTraceOfItsCaller() throws Exception {
        int window = 64 * 1024;
        Settings settings = Settings.builder().streamWindowBytes(window).build();
        try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), settings);
                Transport client = Libchan.connect(listener.uri(), settings)) {
            Sender channel = client.newSendChannel(); // opened outside any span
            channel.send(request("first", Pipe.create()));
            Transport server = listener.accept(WAIT);
            try {
                Receiver served = server.waitReceiveChannel(WAIT);
                served.receive(Object.class, WAIT);
                // a whole message left unread: the server holds back the window credit of the next one's
                // parts (SessionStream#creditPartial), else a long message flows in as it arrives
                channel.send(Map.of("Cmd", "unread"));
                // more than the server's window, which it does not read yet: the sends after it wait in the queue
                CompletableFuture<Void> big = channel.sendAsync(Map.of("Cmd", "big", "Body", new byte[2 * window]));
                CompletableFuture<Void> traced;
                try (Scope ignored = inSpan()) {
                    traced = channel.sendAsync(request("traced", Pipe.create()));
                }
                assertFalse(traced.isDone(), "the traced send waits behind the big one");
                assertEquals("unread", ((Map<?, ?>) served.receive(Object.class, WAIT)).get("Cmd"));
                assertEquals("big", ((Map<?, ?>) served.receive(Object.class, WAIT)).get("Cmd"));
                Map<String, String> trace = replyOf(served.receive(Object.class, WAIT)).traceContext();
                assertEquals(TRACEPARENT, trace.get(TraceHeaders.TRACEPARENT), "the queued send ran in its caller's span");
                assertEquals("vendor=v1", trace.get(TraceHeaders.TRACESTATE));
                CompletableFuture.allOf(big, traced).get(30, TimeUnit.SECONDS);
            } finally {
                server.abort();
            }
        }
    }

    private static Scope inOtherSpan() {
        return Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, "1111111111111111", TraceFlags.getSampled(),
                TraceState.getDefault())).makeCurrent();
    }

    /**
     * A reply channel sent in the trace its channel was opened in opens by its reference alone, as
     * one sent with no trace on a channel opened with none: the peer gives it the trace of the
     * channel that carried it. Another trace (or none, on a channel opened in one) opens it with a
     * SYN_STREAM that says so. (Issue 18 item 8: a traced call costs no frame of its own.)
     */
    @Test
    void aReplyChannelInTheTraceOfItsChannelOpensByItsReferenceAloneAndOthersOnTheWire() throws Exception {
        try (RawSpdyPeer.Server rawServer = RawSpdyPeer.listen();
                Transport client = Libchan.connect(rawServer.uri().toString());
                RawSpdyPeer peer = rawServer.accept()) {
            Sender channel;
            try (Scope ignored = inSpan()) {
                channel = client.newSendChannel();
                channel.send(request("first", Pipe.create())); // before the answer: its reply channel on the wire
            }
            answerTheFirstRequest(peer, "implicit-reply,implicit-open");

            try (Scope ignored = inSpan()) {
                channel.send(request("same trace", Pipe.create()));
            }
            assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("same trace"), "Ret", Msgpack.ext(4, IMPLICIT + 5))),
                    RawSpdyPeer.hex(peer.awaitData(1).data()), "the same trace: the reference alone opens stream 5");

            try (Scope ignored = inOtherSpan()) {
                channel.send(request("other span", Pipe.create()));
            }
            SynStreamFrame other = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 7);
            assertEquals("00-" + TRACE_ID + "-1111111111111111-01", other.headers().get("traceparent"), other.toString());
            assertNull(other.headers().get("tracestate"), other.toString());
            peer.awaitData(1);

            channel.send(request("no span", Pipe.create()));
            SynStreamFrame none = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 9);
            assertNull(none.headers().get("traceparent"), "no trace, on a channel opened in one: " + none);
            assertTrue(peer.received().stream().noneMatch(f -> f instanceof SynStreamFrame && f.streamId() == 5),
                    "stream 5 was opened on the wire: " + peer.received());
        }
    }

    /**
     * A raw server answers our client's first request (stream 1, reply channel 3, opened on the wire
     * before any answer) with {@code libchan-ext: ext}, and replies on stream 3.
     */
    private static void answerTheFirstRequest(RawSpdyPeer peer, String ext) {
        peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 3);
        peer.awaitData(1);
        peer.send(new io.libchan.internal.spdy.SynReplyFrame(1, false, SpdyHeaders.of(":status", "200", "libchan-ext", ext)));
        peer.send(new io.libchan.internal.spdy.DataFrame(3, true, Msgpack.map("Cmd", Msgpack.str("first"))));
        peer.sync();
    }

    /** ext 4 of 30 bytes (traced-refs): stream id, then the traceparent in binary. */
    private static byte[] tracedRef(long id, String spanId) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(33).put((byte) 0xc7).put((byte) 30).put((byte) 4).putInt((int) id);
        b.put((byte) 0).put(RawSpdyPeer.hex(TRACE_ID)).put(RawSpdyPeer.hex(spanId)).put((byte) 1);
        return b.array();
    }

    /**
     * To a peer that listed {@code traced-refs}: a reply channel in a trace other than its channel's
     * is still opened by its reference alone, the reference carrying its traceparent; a trace with a
     * tracestate, or none on a channel opened in one, still goes on a SYN_STREAM.
     */
    @Test
    void aReplyChannelInItsOwnTraceIsOpenedByAReferenceThatCarriesIt() throws Exception {
        try (RawSpdyPeer.Server rawServer = RawSpdyPeer.listen();
                Transport client = Libchan.connect(rawServer.uri().toString());
                RawSpdyPeer peer = rawServer.accept()) {
            Sender channel = client.newSendChannel(); // no trace
            channel.send(request("first", Pipe.create()));
            SynStreamFrame top = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 1);
            assertTrue(java.util.List.of(top.headers().get("libchan-ext").split(",")).contains("traced-refs"), "our offer: " + top);
            answerTheFirstRequest(peer, "implicit-reply,implicit-open,traced-refs");

            try (Scope ignored = inOtherSpan()) {
                channel.send(request("traced", Pipe.create()));
            }
            assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("traced"), "Ret", tracedRef(IMPLICIT + 5, "1111111111111111"))),
                    RawSpdyPeer.hex(peer.awaitData(1).data()), "the reference opens stream 5 and carries the trace");

            try (Scope ignored = inSpan()) {
                channel.send(request("with a tracestate", Pipe.create()));
            }
            SynStreamFrame withState = peer.awaitFrame(SynStreamFrame.class, f -> f.streamId() == 7);
            assertEquals("vendor=v1", withState.headers().get("tracestate"), withState.toString());
            peer.awaitData(1);

            channel.send(request("no span", Pipe.create()));
            assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("no span"), "Ret", Msgpack.ext(4, IMPLICIT + 9))),
                    RawSpdyPeer.hex(peer.awaitData(1).data()), "no trace, as its channel: the reference alone");
            assertTrue(peer.received().stream().noneMatch(f -> f instanceof SynStreamFrame && (f.streamId() == 5 || f.streamId() == 9)),
                    "a stream opened by its reference was opened on the wire: " + peer.received());
        }
    }

    /** Our server gives a reply channel the trace its reference carries, and answers on it. */
    @Test
    void ourServerGivesAReplyChannelTheTraceItsReferenceCarries() throws Exception {
        RawSpdyPeer.againstOurServer("implicit-reply,implicit-open,traced-refs", (peer, server, answer) -> {
            assertTrue(answer.headers().get("libchan-ext").contains("traced-refs"), "accepted: " + answer);
            Receiver requests = server.waitReceiveChannel(WAIT);
            peer.sendData(1, Msgpack.map("Cmd", Msgpack.str("traced"), "Ret", tracedRef(IMPLICIT + 3, SPAN_ID)));
            Sender ret = replyOf(requests.receive(Object.class, WAIT));
            assertEquals(Map.of(TraceHeaders.TRACEPARENT, "00-" + TRACE_ID + "-" + SPAN_ID + "-01"), ret.traceContext());
            ret.send(Map.of("Cmd", "traced"));
            assertEquals(RawSpdyPeer.hex(Msgpack.map("Cmd", Msgpack.str("traced"))), RawSpdyPeer.hex(peer.awaitData(3).data()));
        });
    }

    /** Between Java peers, a call in a span of its own on a channel opened outside it: the server sees the call's trace. */
    @Test
    void betweenJavaPeersACallInItsOwnSpanReachesTheServerWithItsTrace() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                Transport client = Libchan.connect(listener.uri().toString())) {
            Sender channel = client.newSendChannel();
            channel.send(request("first", Pipe.create()));
            Transport server = listener.accept(WAIT);
            try {
                Receiver served = server.waitReceiveChannel(WAIT);
                replyOf(served.receive(Object.class, WAIT)).send(Map.of("Cmd", "ok"));
                for (int i = 0; i < 3; i++) {
                    try (Scope ignored = inOtherSpan()) {
                        channel.send(request("call " + i, Pipe.create()));
                    }
                    assertEquals(Map.of(TraceHeaders.TRACEPARENT, "00-" + TRACE_ID + "-1111111111111111-01"),
                            replyOf(served.receive(Object.class, WAIT)).traceContext());
                }
            } finally {
                server.abort();
            }
        }
    }

    /** Between Java peers: the server sees a reply channel opened by its reference in its channel's trace. */
    @Test
    void aReplyChannelOpenedByItsReferenceHasTheTraceOfTheChannelThatCarriedIt() throws Exception {
        try (Listener listener = Libchan.listen("tcp://127.0.0.1:0");
                Transport client = Libchan.connect(listener.uri().toString())) {
            Sender channel;
            try (Scope ignored = inSpan()) {
                channel = client.newSendChannel();
                channel.send(request("first", Pipe.create()));
            }
            Transport server = listener.accept(WAIT);
            try {
                Receiver served = server.waitReceiveChannel(WAIT);
                Sender firstReply = replyOf(served.receive(Object.class, WAIT));
                firstReply.send(Map.of("Cmd", "ok")); // the answer is on its way: the peers know each other now
                try (Scope ignored = inSpan()) {
                    channel.send(request("second", Pipe.create()));
                }
                Map<String, String> trace = replyOf(served.receive(Object.class, WAIT)).traceContext();
                assertEquals(TRACEPARENT, trace.get(TraceHeaders.TRACEPARENT));
                assertEquals("vendor=v1", trace.get(TraceHeaders.TRACESTATE));
                assertEquals(Map.of(), channel.traceContext(), "a channel this side opened shows no trace");
            } finally {
                server.abort();
            }
        }
    }

    private static Sender replyOf(Object message) {
        return (Sender) ((Map<?, ?>) message).get("Ret");
    }
}
