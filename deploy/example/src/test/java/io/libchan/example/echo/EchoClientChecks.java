package io.libchan.example.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.libchan.BytePipe;
import io.libchan.ByteStream;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The echo protocol as a Java client sees it, checked over one client session: the same checks run
 * against {@link EchoEndpoint} in Weld SE ({@code EchoEndpointTest}) and against the WAR
 * deployed in WildFly ({@code it-tests}). Each check opens its own top-level channel.
 */
public final class EchoClientChecks {
    /** How long any one step may take. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** A request as a record: its {@code ret} travels as a nested channel. */
    public record Request(long seq, String body, Sender ret) {
    }

    private EchoClientChecks() {
    }

    /** {@code {seq, body, ret}} is answered on {@code ret} with {@code {seq, body}}, then {@code ret} ends. */
    public static void replyComesBackOnTheNestedReplyChannel(Transport session) {
        Sender out = session.newSendChannel();
        Pipe ret = Pipe.create();
        out.send(new Request(1, "hi", ret.sender()), WAIT);
        assertEquals(Map.of("seq", 1L, "body", "hi"), ret.receiver().receive(Map.class, WAIT));
        assertEnds(ret.receiver());
        out.close();
    }

    /** A channel handed to the server is read to its end and its messages come back as a list. */
    public static void nestedChannelHandedToTheServerComesBackAsAList(Transport session) {
        Sender out = session.newSendChannel();
        Pipe ret = Pipe.create();
        Pipe up = Pipe.buffered(3);
        out.send(message("seq", 2L, "up", up.receiver(), "ret", ret.sender()), WAIT);
        for (long n = 1; n <= 3; n++) {
            up.sender().send(Map.of("n", n), WAIT);
        }
        up.sender().close();
        assertEquals(Map.of("seq", 2L, "up", List.of(Map.of("n", 1L), Map.of("n", 2L), Map.of("n", 3L))),
                ret.receiver().receive(Map.class, WAIT));
        assertEnds(ret.receiver());
        out.close();
    }

    /** A sender handed to the server gets {@code {From: java, Field: name}}, then ends. */
    public static void senderHandedToTheServerIsGreetedThenClosed(Transport session) {
        Sender out = session.newSendChannel();
        Pipe ret = Pipe.create();
        Pipe events = Pipe.create();
        out.send(message("seq", 3L, "events", events.sender(), "ret", ret.sender()), WAIT);
        assertEquals(Map.of("From", "java", "Field", "events"), events.receiver().receive(Map.class, WAIT));
        assertEnds(events.receiver());
        assertEquals(Map.of("seq", 3L), ret.receiver().receive(Map.class, WAIT));
        assertEnds(ret.receiver());
        out.close();
    }

    /** {@code sub: true}: the reply carries a channel the server made, with three events, then its end. */
    public static void channelMadeByTheServerCarriesThreeEventsThenEnds(Transport session) {
        Sender out = session.newSendChannel();
        Pipe ret = Pipe.create();
        out.send(message("seq", 4L, "sub", true, "ret", ret.sender()), WAIT);
        Map<?, ?> reply = ret.receiver().receive(Map.class, WAIT);
        assertEquals(4L, reply.get("seq"));
        Receiver sub = (Receiver) reply.get("sub");
        for (long i = 0; i < 3; i++) {
            assertEquals(Map.of("i", i, "from", "java"), sub.receive(Map.class, WAIT));
        }
        assertEnds(sub);
        assertEnds(ret.receiver());
        out.close();
    }

    /** A byte stream (256 KiB, more than one frame and one pipe buffer) is echoed byte for byte, then ends. */
    public static void byteStreamIsEchoedUntilItsEnd(Transport session) {
        Sender out = session.newSendChannel();
        Pipe ret = Pipe.create();
        BytePipe bytes = BytePipe.create();
        byte[] payload = new byte[256 * 1024];
        new Random(42).nextBytes(payload);
        out.send(message("seq", 5L, "bytes", bytes.remote(), "ret", ret.sender()), WAIT);
        ByteStream local = bytes.local();
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try (OutputStream o = local.output()) {
                o.write(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] echoed = assertTimeoutPreemptively(WAIT, () -> local.input().readAllBytes());
        assertArrayEquals(payload, echoed);
        written.join();
        assertEquals(Map.of("seq", 5L), ret.receiver().receive(Map.class, WAIT));
        assertEnds(ret.receiver());
        local.close();
        out.close();
    }

    /** Every check above, in order. */
    public static void all(Transport session) {
        replyComesBackOnTheNestedReplyChannel(session);
        nestedChannelHandedToTheServerComesBackAsAList(session);
        senderHandedToTheServerIsGreetedThenClosed(session);
        channelMadeByTheServerCarriesThreeEventsThenEnds(session);
        byteStreamIsEchoedUntilItsEnd(session);
    }

    /**
     * Nothing serves {@code uri} any more: connecting fails with {@link ConnectionLostException}, or
     * the session it opened ends with one at once. (The JDK closes a listening socket blocked in
     * accept only when that thread wakes up, so a connection made right after a listener's close
     * may slip in first; it is then cut without being served.)
     */
    public static void noSessionIsServedAt(String uri) {
        Transport session;
        try {
            session = Libchan.connect(uri);
        } catch (ConnectionLostException refused) {
            return;
        }
        try {
            assertThrows(ConnectionLostException.class, () -> session.waitReceiveChannel(WAIT));
        } finally {
            session.abort();
        }
    }

    public static void assertEnds(Receiver receiver) {
        assertThrows(EndOfChannelException.class, () -> receiver.receive(Map.class, WAIT));
    }

    /** An ordered map from key, value pairs (Map.of has no order and no room for nested channels' types). */
    public static Map<String, Object> message(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
