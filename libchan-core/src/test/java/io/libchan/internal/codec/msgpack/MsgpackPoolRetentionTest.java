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
