package io.libchan.internal.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Packs the whole SPDY frames of one write batch into one binary WebSocket message (PROTOCOL.md
 * section 13.3): a frame is never split, a message holds up to {@link #MAX_MESSAGE} bytes of small
 * frames, and a larger frame travels alone. One message per batch instead of one per frame is what
 * lets the WebSocket transport keep up with raw TCP: every message costs a hand-off to the I/O
 * thread and a wait for it, however small it is.
 *
 * <p>Not thread-safe: it belongs to a wire, which the session's frame writer drives from one thread
 * at a time. Never blocks.
 */
public final class MessageBatch {
    /** The largest message of several frames; far below every reader's limit (16 MiB + 64 KiB). */
    public static final int MAX_MESSAGE = 64 * 1024;
    /** A buffer that grew past this is dropped after its message, so an idle connection holds little. */
    private static final int KEEP = 8 * 1024;

    private byte[] buffer = new byte[1024];
    private int size;

    /** Where the messages go: each call sends one binary WebSocket message the callee now owns. */
    @FunctionalInterface
    public interface MessageSink {
        void send(ByteBuffer message) throws IOException;
    }

    /**
     * Adds one whole frame, first sending what must go before it: the batch so far when the frame
     * would overflow it, then the frame itself as a message of its own when it is too big to share.
     */
    public void write(byte[] head, byte[] payload, int off, int len, MessageSink sink) throws IOException {
        int frame = head.length + (payload == null ? 0 : len);
        if (alone(frame)) {
            sendTo(sink);
            sink.send(single(head, payload, off, len));
            return;
        }
        if (wouldOverflow(frame)) {
            sendTo(sink);
        }
        add(head, payload, off, len);
    }

    /** Sends the batch so far, if it holds anything, as one message. */
    public void sendTo(MessageSink sink) throws IOException {
        if (size > 0) {
            sink.send(take());
        }
    }

    /** Whether a frame of {@code frameBytes} must travel alone, as a message of its own. */
    public static boolean alone(int frameBytes) {
        return frameBytes > MAX_MESSAGE;
    }

    /** Whether adding a frame of {@code frameBytes} would push the message past its limit. */
    public boolean wouldOverflow(int frameBytes) {
        return size > 0 && size + frameBytes > MAX_MESSAGE;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Copies one whole frame in (the caller's arrays may be reused once this returns). */
    public void add(byte[] head, byte[] payload, int off, int len) {
        int frame = head.length + (payload == null ? 0 : len);
        if (size + frame > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(size + frame, Math.min(2 * buffer.length, MAX_MESSAGE)));
        }
        System.arraycopy(head, 0, buffer, size, head.length);
        if (payload != null && len > 0) {
            System.arraycopy(payload, off, buffer, size + head.length, len);
        }
        size += frame;
    }

    /**
     * The message so far, as a buffer the caller owns (a copy: the sender may still be reading it
     * after this batch is reset); the batch is empty afterwards.
     */
    public ByteBuffer take() {
        ByteBuffer message = ByteBuffer.wrap(Arrays.copyOf(buffer, size));
        size = 0;
        if (buffer.length > KEEP) {
            buffer = new byte[1024];
        }
        return message;
    }

    /** One frame as a message of its own: {@code head} and the payload slice in one new buffer. */
    public static ByteBuffer single(byte[] head, byte[] payload, int off, int len) {
        int n = payload == null ? 0 : len;
        byte[] frame = Arrays.copyOf(head, head.length + n);
        if (n > 0) {
            System.arraycopy(payload, off, frame, head.length, n);
        }
        return ByteBuffer.wrap(frame);
    }
}
