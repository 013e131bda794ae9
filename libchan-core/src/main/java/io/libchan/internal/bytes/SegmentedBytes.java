package io.libchan.internal.bytes;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue of bytes kept in segments of {@value #SEGMENT} bytes taken from a shared pool and given
 * back as soon as they are read: a byte stream that is not being written holds no memory, one
 * that streams reuses the same few segments instead of allocating (an array dropped when read
 * empty and allocated again at the next write cost a streaming transfer a third of its speed).
 * The pool keeps at most {@value #MAX_POOLED} segments. Not thread-safe: its pipe's lock guards it.
 */
final class SegmentedBytes {
    static final int SEGMENT = 16 * 1024;
    /**
     * Segments offered to a sink at once (256 KiB): the JDK copies every heap buffer of a gathering
     * write into a direct one first, so offering far more than a socket takes would copy in vain.
     */
    private static final int GATHER = 16;
    private static final int MAX_POOLED = 1024;
    private static final ConcurrentLinkedQueue<byte[]> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private ArrayDeque<byte[]> segments; // made at the first byte
    private int readPos;                 // in the first segment
    private int writePos;                // in the last segment
    private int size;

    int size() {
        return size;
    }

    /** Copies {@code b[off..off+len)} in at the end. */
    void append(byte[] b, int off, int len) {
        if (segments == null) {
            segments = new ArrayDeque<>(4);
        }
        while (len > 0) {
            if (segments.isEmpty() || writePos == SEGMENT) {
                segments.addLast(take());
                writePos = 0;
            }
            int n = Math.min(len, SEGMENT - writePos);
            System.arraycopy(b, off, segments.peekLast(), writePos, n);
            writePos += n;
            size += n;
            off += n;
            len -= n;
        }
    }

    /** Moves up to {@code len} bytes from the start into {@code dst}; returns how many. */
    int read(byte[] dst, int off, int len) {
        int done = 0;
        while (done < len && size > 0) {
            byte[] first = segments.peekFirst();
            int end = segments.size() == 1 ? writePos : SEGMENT;
            int n = Math.min(len - done, end - readPos);
            System.arraycopy(first, readPos, dst, off + done, n);
            readPos += n;
            size -= n;
            done += n;
            if (readPos == end) {
                give(segments.pollFirst());
                readPos = 0;
                if (segments.isEmpty()) {
                    writePos = 0;
                }
            }
        }
        return done;
    }

    /**
     * Offers the bytes from the start to {@code sink}, up to {@value #GATHER} segments at a time in
     * one {@link ByteBufferPipe.Sink#take(java.nio.ByteBuffer[], int)}, and drops what it took;
     * stops once the sink takes less than offered. Returns how many it took.
     */
    int drainTo(ByteBufferPipe.Sink sink) {
        int done = 0;
        while (size > 0) {
            java.nio.ByteBuffer[] parts = new java.nio.ByteBuffer[Math.min(GATHER, segments.size())];
            int count = 0;
            int offered = 0;
            int from = readPos;
            for (byte[] segment : segments) {
                if (count == parts.length) {
                    break;
                }
                int end = count == segments.size() - 1 ? writePos : SEGMENT;
                parts[count++] = java.nio.ByteBuffer.wrap(segment, from, end - from);
                offered += end - from;
                from = 0;
            }
            int n = (int) sink.take(parts, count);
            skip(n);
            done += n;
            if (n < offered) {
                break;
            }
        }
        return done;
    }

    /** Drops {@code n} bytes from the start; emptied segments go back to the pool. */
    private void skip(int n) {
        while (n > 0) {
            int end = segments.size() == 1 ? writePos : SEGMENT;
            int k = Math.min(n, end - readPos);
            readPos += k;
            size -= k;
            n -= k;
            if (readPos == end) {
                give(segments.pollFirst());
                readPos = 0;
                if (segments.isEmpty()) {
                    writePos = 0;
                }
            }
        }
    }

    /** Drops every byte; the segments go back to the pool. */
    void clear() {
        if (segments != null) {
            for (byte[] s; (s = segments.pollFirst()) != null; ) {
                give(s);
            }
        }
        readPos = 0;
        writePos = 0;
        size = 0;
    }

    private static byte[] take() {
        byte[] s = POOL.poll();
        if (s == null) {
            return new byte[SEGMENT];
        }
        POOLED.decrementAndGet();
        return s;
    }

    private static void give(byte[] s) {
        if (POOLED.incrementAndGet() > MAX_POOLED) {
            POOLED.decrementAndGet();
            return;
        }
        POOL.add(s);
    }
}
