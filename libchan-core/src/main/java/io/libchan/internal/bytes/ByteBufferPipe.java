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
        lock.lock();
        try {
            if (readClosed || writeClosed || failure != null) {
                return false;
            }
            append(b, off, len);
            readable.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            writeClosed = true;
            target = redirect;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            if (failure == null && !writeClosed) {
                failure = error;
            }
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
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
