package io.libchan.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.libchan.MessageTooLargeException;
import io.libchan.internal.codec.msgpack.MsgpackFramer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message boundaries in a continuous msgpack stream, however the bytes are split (Go HEAD framing). */
class MsgpackFramerTest {
    private static final byte[] TWO_MESSAGES = HexFormat.of().parseHex(
            "82a3436d64a26869a3526574d60400000003" + "81a3436d64a26869");

    @Test
    void findsBothMessagesInOneBuffer() {
        MsgpackFramer f = new MsgpackFramer(1 << 20, 64);
        int end = f.scan(TWO_MESSAGES, 0, TWO_MESSAGES.length);
        assertEquals(18, end);
        assertEquals(TWO_MESSAGES.length, f.scan(TWO_MESSAGES, end, TWO_MESSAGES.length));
    }

    @Test
    void findsTheSameBoundariesWhenBytesArriveOneAtATime() {
        MsgpackFramer f = new MsgpackFramer(1 << 20, 64);
        List<Integer> ends = new ArrayList<>();
        int start = 0;
        for (int available = 1; available <= TWO_MESSAGES.length; available++) {
            int end = f.scan(TWO_MESSAGES, start, available);
            if (end >= 0) {
                ends.add(end);
                start = end;
            }
        }
        assertEquals(List.of(18, TWO_MESSAGES.length), ends);
    }

    @Test
    void refusesAMessageThatGrowsPastTheLimit() {
        MsgpackFramer f = new MsgpackFramer(16, 64);
        byte[] array = new byte[40];
        array[0] = (byte) 0xdc;
        array[1] = 0;
        array[2] = 10; // array16 of 10: fits the declared-count check
        for (int i = 3; i < array.length; i++) {
            array[i] = (byte) 0xa3; // each a 3-byte string: the total will not fit
        }
        assertThrows(MessageTooLargeException.class, () -> f.scan(array, 0, array.length));
    }
}
