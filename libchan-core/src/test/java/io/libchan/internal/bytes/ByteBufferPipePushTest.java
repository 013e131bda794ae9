package io.libchan.internal.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pipe in push mode whose sink (a gateway's target socket) was slow: what waited is offered in
 * one gathering take per 256 KiB, the way a socket takes it in one system call, not one take per
 * 16 KiB segment.
 */
class ByteBufferPipePushTest {
    private static final int KIB = 1024;

    @Test
    void whatWaitedForASlowSinkIsOfferedInOneGatheringTake() {
        ByteBufferPipe pipe = new ByteBufferPipe(1024 * KIB);
        RecordingSink sink = new RecordingSink();
        pipe.pushTo(sink);
        sink.takes = false; // the target's socket is full
        byte[] bytes = pattern(200 * KIB);
        pipe.offer(bytes, 0, bytes.length);

        sink.takes = true; // it takes more: all that waited goes
        pipe.resumePush();

        assertEquals(List.of(200 * KIB), sink.offers, "bytes offered per take once the socket took more");
        assertArrayEquals(bytes, sink.received.toByteArray());
    }

    @Test
    void aSinkThatTakesPartOfAGatheringTakeIsOfferedTheRestNextTime() {
        ByteBufferPipe pipe = new ByteBufferPipe(1024 * KIB);
        RecordingSink sink = new RecordingSink();
        pipe.pushTo(sink);
        sink.takes = false;
        byte[] bytes = pattern(100 * KIB);
        pipe.offer(bytes, 0, bytes.length);

        sink.takes = true;
        sink.limit = 40 * KIB + 5; // the socket takes part, ending inside a segment
        pipe.resumePush();
        sink.limit = Integer.MAX_VALUE;
        pipe.resumePush();

        assertEquals(List.of(100 * KIB, 60 * KIB - 5), sink.offers);
        assertArrayEquals(bytes, sink.received.toByteArray());
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 251);
        }
        return b;
    }

    /** Takes nothing while {@code takes} is false, else up to {@code limit} bytes a call; records what each call offered. */
    private static final class RecordingSink implements ByteBufferPipe.Sink {
        boolean takes = true;
        int limit = Integer.MAX_VALUE;
        final List<Integer> offers = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public int take(byte[] b, int off, int len) {
            if (!takes) {
                return 0;
            }
            offers.add(len);
            int n = Math.min(len, limit);
            received.write(b, off, n);
            return n;
        }

        @Override
        public long take(ByteBuffer[] parts, int count) {
            if (!takes) {
                return 0;
            }
            long offered = 0;
            for (int i = 0; i < count; i++) {
                offered += parts[i].remaining();
            }
            offers.add((int) offered);
            long left = limit;
            for (int i = 0; i < count && left > 0; i++) {
                int n = (int) Math.min(parts[i].remaining(), left);
                received.write(parts[i].array(), parts[i].arrayOffset() + parts[i].position(), n);
                left -= n;
            }
            return Math.min(offered, limit);
        }

        @Override
        public void ended() {
        }

        @Override
        public void failed(Exception e) {
        }
    }
}
