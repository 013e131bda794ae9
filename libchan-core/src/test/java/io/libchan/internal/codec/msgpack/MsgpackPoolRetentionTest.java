package io.libchan.internal.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.Dialect;
import io.libchan.Settings;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The codec's pooled generators and parsers keep nothing of a message once it is encoded or
 * decoded: not the message, not the objects Jackson hung on their contexts. (A shared libchan
 * holding an application's object would hold that application's class loader after undeploy.)
 */
class MsgpackPoolRetentionTest {
    private final MsgpackCodec codec = new MsgpackCodec(Dialect.HEAD, Settings.defaults());

    record Inner(String name) {
    }

    record Outer(String cmd, Inner inner, List<Inner> list) {
    }

    @Test
    void neitherTheMessageEncodedNorTheMessageDecodedStaysReachable() throws Exception {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> encoded = encodeOne(queue);
        WeakReference<Object> decoded = decodeOne(queue);
        for (int attempt = 0; attempt < 20 && (encoded.get() != null || decoded.get() != null); attempt++) {
            System.gc();
            queue.remove(500);
        }
        if (encoded.get() != null || decoded.get() != null) {
            fail("still reachable after 20 collections: " + (encoded.get() != null ? "the encoded message " : "")
                    + (decoded.get() != null ? "the decoded message" : ""));
        }
    }

    @Test
    void theReferencesOfAnEncodeOrADecodeDoNotStayReachable() throws Exception {
        // a session's references: a pooled generator or parser that kept them would keep the session
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> decodeRefs = decodeWithReferences(queue);
        WeakReference<Object> encodeRefs = encodeWithReferences(queue); // last: no later encode reuses the generator
        for (int attempt = 0; attempt < 20 && (encodeRefs.get() != null || decodeRefs.get() != null); attempt++) {
            System.gc();
            queue.remove(500);
        }
        if (encodeRefs.get() != null || decodeRefs.get() != null) {
            fail("still reachable after 20 collections: " + (encodeRefs.get() != null ? "the encode's references " : "")
                    + (decodeRefs.get() != null ? "the decode's references" : ""));
        }
    }

    record WithTime(java.time.Instant at) {
    }

    private WeakReference<Object> encodeWithReferences(ReferenceQueue<Object> queue) {
        String session = new String("session"); // captured: a lambda capturing nothing is a constant, never collected
        EncodeContext refs = value -> {
            throw new AssertionError("no reference in this message of " + session);
        };
        codec.encodeLent(new WithTime(java.time.Instant.EPOCH), refs).giveBack();
        codec.encode(new WithTime(java.time.Instant.EPOCH), refs);
        return new WeakReference<>(refs, queue);
    }

    private WeakReference<Object> decodeWithReferences(ReferenceQueue<Object> queue) {
        byte[] bytes = codec.encode(new WithTime(java.time.Instant.EPOCH), EncodeContext.NONE);
        String session = new String("session");
        DecodeContext refs = ref -> {
            throw new AssertionError("no reference in this message of " + session);
        };
        assertEquals(java.time.Instant.EPOCH, codec.decode(bytes, 0, bytes.length, WithTime.class, refs).at());
        return new WeakReference<>(refs, queue);
    }

    private WeakReference<Object> encodeOne(ReferenceQueue<Object> queue) {
        Outer message = new Outer("c", new Inner("a"), List.of(new Inner("b")));
        codec.encode(message, EncodeContext.NONE);
        return new WeakReference<>(message, queue);
    }

    private WeakReference<Object> decodeOne(ReferenceQueue<Object> queue) {
        byte[] bytes = codec.encode(new Outer("c", new Inner("a"), List.of(new Inner("b"))), EncodeContext.NONE);
        Outer message = codec.decode(bytes, 0, bytes.length, Outer.class, DecodeContext.NONE);
        assertEquals("b", message.list().get(0).name());
        return new WeakReference<>(message.inner(), queue);
    }
}
