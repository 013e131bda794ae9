package io.libchan.internal.transport;

import io.libchan.internal.queue.ReadAssist;
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
 * {@code FrameWriter} holds its lock). Reading is a role that the session's reader thread shares
 * with platform threads waiting in a receive on this connection ({@link SharedSocketReader}).
 * {@link #close()} may come from any thread and wakes every reader. A blocking {@link #flush()}
 * waits for writability on a selector of its own.
 */
public final class ChannelSocketWire implements Wire {
    /** Buffered bytes past which a frame is not copied: pending bytes are flushed and it is written as is. */
    private static final int DIRECT_WRITE = 64 * 1024;
    private static final int INITIAL = 64 * 1024;
    /** For {@code Selector.select(Consumer)}: one channel per selector, so no selected-key set to fill and clear. */
    static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };

    private final SocketChannel channel;
    private final String description;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final SharedSocketReader reads;
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
        this.reads = new SharedSocketReader(channel, readSelector);
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

    /**
     * False on a waiting thread that reads for the session ({@link SharedSocketReader}): the
     * session must not pause it (it fails a peer that overruns its windows instead) and ends off
     * its thread.
     */
    @Override
    public boolean readerMayBlock() {
        return !reads.callerReads();
    }

    /** Threads waiting for a message on this connection may read it ({@link SharedSocketReader}). */
    @Override
    public ReadAssist readAssist() {
        return reads;
    }

    /** Whoever reads ({@link SharedSocketReader}) bounds its waits by the session's lazy-write deadline. */
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

    /**
     * Reads until the connection ends, feeding {@code session}; runs on the session's reader
     * thread, which shares reading with threads waiting for messages ({@link SharedSocketReader}).
     */
    public void readLoop(SpdySession session) {
        reads.run(session);
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
        reads.wakeReader();
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
