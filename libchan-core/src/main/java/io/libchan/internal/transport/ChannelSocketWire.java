package io.libchan.internal.transport;

import io.libchan.internal.session.SpdySession;
import io.libchan.internal.session.Wire;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Wire} over a plain TCP {@link SocketChannel} in non-blocking mode, with the session's
 * reader loop ({@link #readLoop}). Unlike {@link SocketWire} it can write without blocking
 * ({@link #tryFlush()}), so the connection's reader flushes the replies of its own read batch
 * itself instead of handing them to a drain task (one thread wake-up less per request/reply), and
 * still never blocks: what the socket does not take now stays buffered for the next flush.
 *
 * <p>Hand-written on NIO because the session's threads must stay the caller's (Settings executor,
 * managed threads in a container): Netty or XNIO would bring their own event loops.
 *
 * <p>Threads: frames are buffered and flushed by one thread at a time (the session's
 * {@code FrameWriter} holds its lock); the reader thread runs {@link #readLoop}; {@link #close()}
 * may come from any thread and wakes both. A blocking {@link #flush()} waits for writability on a
 * selector of its own.
 */
public final class ChannelSocketWire implements Wire {
    /** Buffered bytes past which a frame is not copied: pending bytes are flushed and it is written as is. */
    private static final int DIRECT_WRITE = 64 * 1024;
    private static final int INITIAL = 64 * 1024;
    private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };

    private final SocketChannel channel;
    private final String description;
    private final Selector readSelector;
    private final Selector writeSelector;
    /** Bytes not yet written, in write mode: {@code [0, position)}. */
    private ByteBuffer out = ByteBuffer.allocate(INITIAL);

    /** @param channel a connected channel; it is switched to non-blocking mode */
    public ChannelSocketWire(SocketChannel channel, String description) throws IOException {
        this.channel = channel;
        this.description = description;
        channel.configureBlocking(false);
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
    }

    @Override
    public void writeFrame(byte[] head, byte[] payload, int off, int len, FileDescriptor[] fds) throws IOException {
        int size = head.length + (payload == null ? 0 : len);
        if (size >= DIRECT_WRITE) {
            flush();
            writeFully(ByteBuffer.wrap(head));
            if (payload != null && len > 0) {
                writeFully(ByteBuffer.wrap(payload, off, len));
            }
            return;
        }
        if (out.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + size));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
        out.put(head);
        if (payload != null && len > 0) {
            out.put(payload, off, len);
        }
    }

    /** Writes every buffered byte, waiting for the socket to take them. */
    @Override
    public void flush() throws IOException {
        out.flip();
        try {
            writeFully(out);
        } finally {
            out.compact();
        }
        if (out.capacity() > 4 * INITIAL) {
            out = ByteBuffer.allocate(INITIAL); // a burst grew it: give the memory back
        }
    }

    /** Writes what the socket takes now; true when nothing is left buffered. Never blocks. */
    @Override
    public boolean tryFlush() throws IOException {
        out.flip();
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    return false;
                }
            }
            return true;
        } finally {
            out.compact();
        }
    }

    @Override
    public boolean writesWithoutBlocking() {
        return true;
    }

    /** {@link #readLoop} bounds its waits by the session's lazy-write deadline. */
    @Override
    public boolean readerFlushesLazyWrites() {
        return true;
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) {
                awaitWritable();
            }
        }
    }

    private void awaitWritable() throws IOException {
        try {
            writeSelector.select(IGNORE_KEY, 1000);
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    /** Reads until the connection ends, feeding {@code session}; runs on the session's reader thread. */
    public void readLoop(SpdySession session) {
        ByteBuffer buf = ByteBuffer.allocate(128 * 1024); // room for several DATA frames, decoded in place
        boolean mayHaveMore = true;
        try {
            while (true) {
                if (!mayHaveMore) {
                    // a read that did not fill the buffer took all there was: wait, rather than
                    // spend a system call on a read that returns 0 (no selected-key set to fill
                    // and clear: one channel), but no longer than a lazily queued frame may wait
                    long lazyDeadline = session.lazyWriteDeadline();
                    int ready;
                    if (lazyDeadline == 0) {
                        ready = readSelector.select(IGNORE_KEY);
                    } else {
                        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(lazyDeadline - System.nanoTime() + 999_999));
                        ready = readSelector.select(IGNORE_KEY, millis);
                    }
                    if (!channel.isOpen()) {
                        throw new ClosedChannelException();
                    }
                    if (ready == 0) {
                        if (lazyDeadline != 0 && System.nanoTime() - lazyDeadline >= 0) {
                            session.flushLazyWrites();
                        }
                        continue;
                    }
                }
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    session.onEndOfInput();
                    return;
                }
                mayHaveMore = n == buf.capacity();
                if (n > 0) {
                    buf.flip();
                    session.onBytes(buf);
                }
            }
        } catch (ClosedSelectorException e) {
            session.onInputFailed(new ClosedChannelException());
        } catch (IOException e) {
            session.onInputFailed(e);
        } catch (RuntimeException | Error e) {
            session.onInputFailed(new IOException("session reader failed: " + e, e));
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
        readSelector.wakeup();
        writeSelector.wakeup();
        closeQuietly(readSelector);
        closeQuietly(writeSelector);
    }

    private static void closeQuietly(Selector s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
