package io.libchan.internal.bytes;

import io.libchan.LibchanException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of a byte stream: a bounded ring buffer with blocking read and write, half-close
 * (end-of-stream after the last byte) and reader-side close (writes then fail). A network session
 * feeds it with {@link #offer}, which never blocks (flow control bounds what the peer may send).
 * The reader side may be watched with {@link #onConsumed} to return flow-control credit.
 *
 * <p>Thread-safe; all state is guarded by {@code lock}; waits use conditions (no pinning on
 * virtual threads).
 */
public final class ByteBufferPipe {
    /** Callback with the number of bytes a read took out; used to send WINDOW_UPDATE. */
    public interface ConsumedListener {
        void consumed(int bytes);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final SegmentedBytes bytes = new SegmentedBytes();
    private final int capacity;
    private int size;
    private boolean writeClosed;
    private boolean readClosed;
    private LibchanException failure;
    private OutputStream redirect;             // once set, writes go straight there (a network stream)
    private volatile ConsumedListener consumedListener;
    private Sink sink;                         // once set, bytes are pushed to it instead of read
    private boolean sinkEnded;                 // the sink was told of the end (guarded by lock)

    /**
     * Where a pipe in push mode ({@link #pushTo}) delivers its bytes, on the thread that offers
     * them (a session's reader) or the one that calls {@link #resumePush()}, never blocking.
     */
    public interface Sink {
        /**
         * Takes what it can of {@code b[off..off+len)} now and returns how many (0 to {@code len});
         * the rest stays buffered until {@link #resumePush()}. Called under the pipe's lock: it must
         * not block nor call back into the pipe or its stream.
         */
        int take(byte[] b, int off, int len);

        /**
         * As {@link #take(byte[], int, int)} for the bytes of {@code parts[0..count)} in order (the
         * buffered bytes, segment by segment), so that a socket takes them in one gathering write
         * rather than one write per segment; returns how many it took. The buffers' positions may
         * move. By default, one {@code take} per part, up to the first it does not take whole.
         */
        default long take(java.nio.ByteBuffer[] parts, int count) {
            long done = 0;
            for (int i = 0; i < count; i++) {
                java.nio.ByteBuffer p = parts[i];
                int len = p.remaining();
                int n = take(p.array(), p.arrayOffset() + p.position(), len);
                done += n;
                if (n < len) {
                    break;
                }
            }
            return done;
        }

        /** The writer closed and every byte was taken. Called once, outside the pipe's lock. */
        void ended();

        /** The stream failed (a reset, a lost session). Outside the pipe's lock; may come more than once. */
        void failed(Exception e);
    }

    /** @param capacity bytes a writer may get ahead of the reader before blocking */
    public ByteBufferPipe(int capacity) {
        this.capacity = capacity;
    }

    public void onConsumed(ConsumedListener listener) {
        this.consumedListener = listener;
    }

    /**
     * From now on, sends what is written here straight to {@code target} (and the half-close to its
     * {@code close()}), with no reader and no copy in between: a pipe end given to a network stream
     * is spliced onto it. Only possible while nothing is buffered and the writer has not closed.
     *
     * @return false (nothing changed) when bytes are already waiting or the writer closed
     */
    public boolean redirectTo(OutputStream target) {
        lock.lock();
        try {
            if (size > 0 || writeClosed || readClosed || failure != null) {
                return false;
            }
            redirect = target;
            readable.signalAll();
            writable.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, pushes the bytes that arrive to {@code target} instead of waiting for reads,
     * starting with those buffered now; bytes it takes are counted consumed (their flow-control
     * credit goes back) as it takes them. Once it took less than offered, the rest waits here
     * until {@link #resumePush()}.
     */
    public void pushTo(Sink target) {
        lock.lock();
        try {
            sink = target;
        } finally {
            lock.unlock();
        }
        resumePush();
    }

    /** The sink may take more: offers it what is buffered, and the end once all is taken. Any thread. */
    public void resumePush() {
        int taken = 0;
        boolean end = false;
        LibchanException failed;
        Sink s;
        lock.lock();
        try {
            s = sink;
            if (s == null || readClosed) {
                return;
            }
            if (size > 0) {
                taken = bytes.drainTo(s);
                size -= taken;
            }
            end = endForSinkLocked();
            failed = failure;
        } finally {
            lock.unlock();
        }
        consumedOutside(taken);
        if (end) {
            s.ended();
        } else if (failed != null) {
            s.failed(failed);
        }
    }

    /** True once, when the sink should hear of the end: the writer closed and nothing is left (under lock). */
    private boolean endForSinkLocked() {
        if (sink != null && writeClosed && size == 0 && !sinkEnded) {
            sinkEnded = true;
            return true;
        }
        return false;
    }

    private void consumedOutside(int n) {
        ConsumedListener l = consumedListener;
        if (l != null && n > 0) {
            l.consumed(n);
        }
    }

    /** Blocking write of all of {@code b[off..off+len)}. */
    public void write(byte[] b, int off, int len) throws IOException {
        OutputStream target;
        lock.lock();
        try {
            target = redirect;
            while (target == null && len > 0) {
                checkWritable();
                while (size == capacity && redirect == null) {
                    awaitUninterruptiblyOrThrow(writable);
                    checkWritable();
                }
                target = redirect;
                if (target != null) {
                    break;
                }
                int n = Math.min(len, capacity - size);
                append(b, off, n);
                off += n;
                len -= n;
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (target != null && len > 0) {
            target.write(b, off, len);
        }
    }

    /**
     * Appends without blocking, growing past capacity if it must (the sender is bounded by flow
     * control). Returns false, dropping the bytes, once the reader closed.
     */
    public boolean offer(byte[] b, int off, int len) {
        int taken = 0;
        lock.lock();
        try {
            if (readClosed || writeClosed || failure != null) {
                return false;
            }
            if (sink != null && size == 0) {
                taken = sink.take(b, off, len); // straight from the caller's buffer: no copy
            }
            if (taken < len) {
                append(b, off + taken, len - taken);
                readable.signalAll();
            }
        } finally {
            lock.unlock();
        }
        consumedOutside(taken);
        return true;
    }

    private void checkWritable() throws IOException {
        if (readClosed) {
            throw new IOException("byte stream closed by the reading side");
        }
        if (writeClosed) {
            throw new IOException("write after close on a byte stream");
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private void append(byte[] b, int off, int len) {
        bytes.append(b, off, len);
        size += len;
    }

    /** Blocking read: at least one byte, or -1 at end-of-stream. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        lock.lock();
        try {
            while (size == 0) {
                if (readClosed) {
                    throw new IOException("read after close on a byte stream");
                }
                if (writeClosed) {
                    return -1;
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                awaitUninterruptiblyOrThrow(readable);
            }
            n = bytes.read(b, off, Math.min(len, size));
            size -= n;
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        ConsumedListener l = consumedListener;
        if (l != null) {
            l.consumed(n);
        }
        return n;
    }

    public int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private void awaitUninterruptiblyOrThrow(Condition condition) throws IOException {
        try {
            condition.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a byte stream");
        }
    }

    /** Writer's half-close: the reader gets the remaining bytes, then end-of-stream. */
    public void closeWrite() {
        OutputStream target;
        boolean end;
        lock.lock();
        try {
            writeClosed = true;
            target = redirect;
            end = endForSinkLocked();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        if (end) {
            sink.ended();
        }
        if (target != null) {
            try {
                target.close();
            } catch (IOException e) {
                // the stream is gone; the half-close has nothing left to tell
            }
        }
    }

    /** Reader's close: buffered bytes are dropped (the consumed listener hears of them) and writes fail. */
    public void closeRead() {
        int dropped;
        lock.lock();
        try {
            readClosed = true;
            dropped = size;
            size = 0;
            bytes.clear();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        ConsumedListener l = consumedListener;
        if (l != null && dropped > 0) {
            l.consumed(dropped);
        }
    }

    /** The connection under the stream broke: buffered bytes can still be read, then reads fail. */
    public void fail(LibchanException error) {
        Sink s;
        lock.lock();
        try {
            if (failure == null && !writeClosed) {
                failure = error;
            }
            s = sink;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.failed(error); // even after the end: a pushed stream's other direction may still run
        }
    }

    public boolean isWriteClosed() {
        lock.lock();
        try {
            return writeClosed;
        } finally {
            lock.unlock();
        }
    }

    public boolean isReadClosed() {
        lock.lock();
        try {
            return readClosed;
        } finally {
            lock.unlock();
        }
    }
}
