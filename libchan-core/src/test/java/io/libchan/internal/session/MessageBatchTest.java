package io.libchan.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Whole frames packed into one message, up to the limit; a larger frame alone. */
class MessageBatchTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void packsFramesInOrderAndEmptiesOnTake() {
        MessageBatch batch = new MessageBatch();
        batch.add(new byte[] {1, 2}, new byte[] {9, 3, 4, 9}, 1, 2);
        batch.add(new byte[] {5}, null, 0, 0);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, bytes(batch.take()));
        assertTrue(batch.isEmpty());
        batch.add(new byte[] {6}, null, 0, 0);
        assertArrayEquals(new byte[] {6}, bytes(batch.take()));
    }

    @Test
    void tellsWhenAFrameWouldPushTheMessagePastItsLimit() {
        MessageBatch batch = new MessageBatch();
        assertFalse(batch.wouldOverflow(MessageBatch.MAX_MESSAGE), "an empty batch takes any frame up to the limit");
        batch.add(new byte[8], new byte[MessageBatch.MAX_MESSAGE - 16], 0, MessageBatch.MAX_MESSAGE - 16);
        assertFalse(batch.wouldOverflow(8));
        assertTrue(batch.wouldOverflow(9));
        assertTrue(MessageBatch.alone(MessageBatch.MAX_MESSAGE + 1));
        assertFalse(MessageBatch.alone(MessageBatch.MAX_MESSAGE));
    }

    @Test
    void aSingleFrameIsHeadThenPayloadSlice() {
        assertArrayEquals(new byte[] {1, 2, 7, 8}, bytes(MessageBatch.single(new byte[] {1, 2}, new byte[] {0, 7, 8, 0}, 1, 2)));
        assertArrayEquals(new byte[] {1}, bytes(MessageBatch.single(new byte[] {1}, null, 0, 0)));
    }
}
