package io.libchan.internal.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records cut by the cursor hold whole frames, unless a frame is longer than a record. */
class SpdyFrameCursorTest {
    private static final int RECORD = 1 << 14;

    private static byte[] frame(int length) {
        byte[] f = new byte[8 + length];
        f[5] = (byte) (length >>> 16);
        f[6] = (byte) (length >>> 8);
        f[7] = (byte) length;
        return f;
    }

    @Test
    void recordsEndOnlyBetweenFramesThatFitOne() {
        Random random = new Random(15);
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 2000; i++) {
            int length = random.nextInt(10) == 0 ? random.nextInt(40_000) : random.nextInt(RECORD - 8 + 1);
            sizes.add(8 + length);
            all.writeBytes(frame(length));
        }
        byte[] bytes = all.toByteArray();
        SpdyFrameCursor cursor = new SpdyFrameCursor();
        List<Integer> records = new ArrayList<>();
        int pos = 0;
        int frame = 0;
        while (pos < bytes.length) {
            // the writer hands over whole frames, in writes of any number of them
            int length = 0;
            for (int n = 1 + random.nextInt(20); n > 0 && frame < sizes.size(); n--) {
                length += sizes.get(frame++);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, pos, length);
            int end = b.limit();
            while (b.position() < end) {
                int n = cursor.recordLength(b, RECORD);
                assertTrue(n > 0 && n <= RECORD, "record of " + n);
                cursor.advance(b, b.position(), b.position() + n);
                b.position(b.position() + n);
                records.add(n);
            }
            pos = end;
        }
        // every frame that fits a record lies inside one record
        int start = 0;
        int record = 0;
        int recordStart = 0;
        for (int size : sizes) {
            while (recordStart + records.get(record) <= start) {
                recordStart += records.get(record++);
            }
            if (size <= RECORD) {
                assertTrue(start + size <= recordStart + records.get(record),
                        "a frame of " + size + " at " + start + " crosses the record at " + recordStart);
            }
            start += size;
        }
        assertEquals(bytes.length, records.stream().mapToInt(Integer::intValue).sum());
    }
}
