package io.libchan.internal.codec.msgpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What a round trip's messages cost the heap, counted (not timed): the request and reply of the
 * benchmarks ({@code {cmd: 64 bytes, ret: Sender}} and {@code {body: 64 bytes}}). With
 * jackson-dataformat-msgpack's generator and parser (a node tree, a BufferRecycler, an IOContext, a
 * MessagePacker or MessageUnpacker, scratch arrays and contexts per message) an encode of the
 * request allocated 1,000 B and a decode 1,400 B; with ours, pooled, 280 and 448 B.
 */
class MsgpackAllocationTest {
    private static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    private static final int WARM_UP = 20_000;
    private static final int COUNTED = 2_000;

    record Request(String cmd, Sender ret) {
    }

    record Reply(String body) {
    }

    private final MsgpackCodec codec = new MsgpackCodec(Dialect.HEAD, Settings.defaults());
    private final Sender ret = Pipe.create().sender();
    private final Reference ref = new Reference(ReferenceKind.SENDER, 5);
    private final EncodeContext refs = value -> ref;
    private final DecodeContext resolve = r -> ret;

    @Test
    void encodingARequestAllocatesLittleMoreThanItsBytes() {
        Request request = new Request(TEXT, ret);
        long perEncode = bytesPerCall(() -> codec.encode(request, refs));
        System.out.println("encode {cmd, ret}: " + perEncode + " B allocated per message");
        // the result array (104 B), Jackson's serializer provider, the reference's payload
        assertTrue(perEncode < 700, "an encode of the benchmark's request allocated " + perEncode + " B");
    }

    @Test
    void aLentEncodeSparesTheCopyOfTheMessage() {
        Request request = new Request(TEXT, ret);
        int length = codec.encode(request, refs).length;
        long perCopy = bytesPerCall(() -> codec.encode(request, refs));
        long perLent = bytesPerCall(() -> codec.encodeLent(request, refs).giveBack());
        System.out.println("encode {cmd, ret}: " + perCopy + " B copied out, " + perLent + " B lent");
        // the session writes the lent buffer into the connection's: the array of the message's own size goes
        assertTrue(perLent <= perCopy - length, "a lent encode allocated " + perLent + " B, a copied one " + perCopy
                + " B, for a message of " + length + " B");
    }

    @Test
    void decodingARequestAllocatesLittleMoreThanItsValues() {
        byte[] bytes = codec.encode(new Request(TEXT, ret), refs);
        assertEquals(TEXT, codec.decode(bytes, 0, bytes.length, Request.class, resolve).cmd());
        long perDecode = bytesPerCall(() -> codec.decodeFramed(bytes, 0, bytes.length, Request.class, resolve));
        byte[] reply = codec.encode(new Reply(TEXT), EncodeContext.NONE);
        long perReply = bytesPerCall(() -> codec.decodeFramed(reply, 0, reply.length, Reply.class, DecodeContext.NONE));
        System.out.println("decode {cmd, ret}: " + perDecode + " B, {body}: " + perReply + " B allocated per message");
        // the string, the record, the reference's ext value, Jackson's deserialization context
        assertTrue(perDecode < 800, "a decode of the benchmark's request allocated " + perDecode + " B");
    }

    /** Heap bytes this thread allocates per call of {@code op}, once the JIT has compiled it. */
    private static long bytesPerCall(Runnable op) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        for (int i = 0; i < WARM_UP; i++) {
            op.run();
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < COUNTED; i++) {
            op.run();
        }
        return (threads.getThreadAllocatedBytes(id) - before) / COUNTED;
    }
}
