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
        int first = f.feed(TWO_MESSAGES, 0, TWO_MESSAGES.length);
        assertEquals(18, first);
        assertEquals(TWO_MESSAGES.length - 18, f.feed(TWO_MESSAGES, 18, TWO_MESSAGES.length - 18));
    }

    @Test
    void findsTheSameBoundariesWhenBytesArriveOneAtATime() {
        MsgpackFramer f = new MsgpackFramer(1 << 20, 64);
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < TWO_MESSAGES.length; i++) {
            if (f.feed(TWO_MESSAGES, i, 1) == 1) {
                ends.add(i + 1);
            }
        }
        assertEquals(List.of(18, TWO_MESSAGES.length), ends);
    }

    @Test
    void aLengthPrefixSplitAcrossPiecesIsReadWhole() {
        // bin32 of 70,000 bytes: its 5-byte header arrives in three pieces
        byte[] message = new byte[5 + 70_000];
        message[0] = (byte) 0xc6;
        message[1] = 0;
        message[2] = 1;
        message[3] = 0x11;
        message[4] = 0x70;
        MsgpackFramer f = new MsgpackFramer(1 << 20, 64);
        assertEquals(-1, f.feed(message, 0, 2));
        assertEquals(-1, f.feed(message, 2, 2));
        assertEquals(-1, f.feed(message, 4, 40_000));
        assertEquals(message.length - 40_004, f.feed(message, 40_004, message.length - 40_004));
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
        assertThrows(MessageTooLargeException.class, () -> f.feed(array, 0, array.length));
    }
}
