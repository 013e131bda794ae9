package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.LibchanException;
import io.libchan.internal.bytes.ByteBufferPipe;
import io.libchan.internal.bytes.PipedByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * One byte stream between the peer and a local stream. The local side is either an in-memory pipe
 * end ({@link io.libchan.BytePipe}, what a received stream always is), which is spliced onto the
 * session: the peer's bytes go straight into the buffer the application reads and are credited back
 * (in batches) as it reads them, and what the application writes is sent from its own thread as the
 * peer's credit allows; or any pair of streams, where the peer's bytes are written to {@link #to} by
 * push on the session executor (credited once written) and {@link #from} is copied by an executor
 * thread while it is open (a blocking {@link InputStream} can only be read by a thread). So an idle
 * stream holds no thread unless the application gave its own {@code InputStream}, and a local reader
 * that stops reading stops the peer after one window. Either direction may be absent (a one-way
 * stream). Counters and flags guarded by {@code this}.
 */
final class StreamBridge {
    private static final byte[] END = new byte[0];

    final long id;
    private final JsonSession session;
    private final PipedByteStream spliced;
    private final InputStream from;
    private final OutputStream to;
    private final ByteBufferPipe into;
    private final Credit credit = new Credit(JsonFrames.STREAM_WINDOW);
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>(2);
    private long received;
    private long credited;
    private int consumed; // read by the application, not yet credited (spliced)
    private boolean draining;
    private boolean splicedOut;
    private boolean localDone;
    private boolean remoteDone;

    /** Between the peer and any pair of streams (either may be null). */
    StreamBridge(JsonSession session, long id, InputStream from, OutputStream to) {
        this.session = session;
        this.id = id;
        this.spliced = null;
        this.from = from;
        this.to = to;
        this.into = null;
    }

    /** Standing in for {@code end} of an in-memory pipe, whose partner the application keeps. */
    StreamBridge(JsonSession session, long id, PipedByteStream end) {
        this.session = session;
        this.id = id;
        this.spliced = end;
        this.from = end.input();
        this.to = null;
        this.into = end.inboundOfPartner();
        into.onConsumed(this::consumed);
    }

    /** Starts moving bytes (after the message naming the stream was sent or received). */
    void start() {
        if (spliced != null && spliced.spliceOutbound(new DataOutput())) {
            synchronized (this) {
                splicedOut = true;
            }
            return; // the application's writes now go out by themselves
        }
        if (from == null) {
            session.sendQuietly(JsonFrames.close(id));
            localDone();
        } else {
            session.executor().execute(this::copyOut);
        }
        if (to == null && into == null) {
            synchronized (this) {
                remoteDone = true;
            }
        }
    }

    /** Copies a local stream to the peer: a thread for as long as the stream is open. */
    private void copyOut() {
        byte[] buf = new byte[JsonFrames.DATA_CHUNK];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                sendData(buf, 0, n);
            }
            session.sendQuietly(JsonFrames.close(id));
        } catch (IOException e) {
            session.sendQuietly(JsonFrames.close(id));
        } catch (LibchanException e) {
            closeQuietly(from);
        }
        localDone();
    }

    /** Sends as the peer's credit allows, waiting for it on the calling thread. */
    private void sendData(byte[] b, int off, int len) {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int granted = (int) credit.take(Math.min(end - pos, JsonFrames.DATA_CHUNK), Long.MAX_VALUE);
            session.send(JsonFrames.data(id, b, pos, granted));
            pos += granted;
        }
    }

    /** Bytes from the peer (reader thread): never blocks. */
    void onData(byte[] bytes) {
        boolean drain = false;
        boolean drop = false;
        synchronized (this) {
            if (received + bytes.length - credited > JsonFrames.STREAM_WINDOW) {
                session.protocolError("the peer sent past its credit on byte stream " + id);
                return;
            }
            received += bytes.length;
            if (into != null) {
                // below, outside the lock: the pipe's reader credits under its own
            } else if (to != null && !remoteDone) {
                inbound.addLast(bytes);
                drain = !draining;
                draining = true;
            } else {
                drop = true;
            }
        }
        if (into != null) {
            if (!into.offer(bytes, 0, bytes.length)) {
                readerGone(); // the application closed its reading side
            }
        } else if (drain) {
            session.executor().execute(this::drain);
        } else if (drop) {
            creditSoon(bytes.length); // nobody reads this direction: drop, and let the peer go on
        }
    }

    /** Writes what the peer sent into {@link #to}, on the executor, until nothing is left. */
    private void drain() {
        while (true) {
            byte[] chunk;
            synchronized (this) {
                chunk = inbound.pollFirst();
                if (chunk == null) {
                    draining = false;
                    return;
                }
            }
            if (chunk == END) {
                closeQuietly(to);
                remoteDone();
                return;
            }
            try {
                to.write(chunk);
                to.flush();
            } catch (IOException e) {
                closeQuietly(to);
                synchronized (this) {
                    inbound.clear();
                }
                readerGone();
                return;
            }
            credit(chunk.length);
        }
    }

    private void readerGone() {
        synchronized (this) {
            if (remoteDone) {
                return;
            }
            remoteDone = true;
        }
        session.executor().execute(() -> session.sendQuietly(JsonFrames.cancel(id, "the reader closed the stream")));
        maybeRetire();
    }

    private void credit(int n) {
        synchronized (this) {
            credited += n;
        }
        session.sendQuietly(JsonFrames.credit(id, n));
    }

    /**
     * The application read {@code n} bytes: credited in batches of {@value JsonFrames#DATA_CHUNK}
     * (not a frame per read, which may be one byte). The writer never waits on what a batch holds
     * back: it waits only with a whole window uncredited, and a batch is smaller than a window.
     */
    private void consumed(int n) {
        int batch;
        synchronized (this) {
            consumed += n;
            if (consumed < JsonFrames.DATA_CHUNK) {
                return;
            }
            batch = consumed;
            consumed = 0;
        }
        credit(batch);
    }

    private void creditSoon(int n) {
        session.executor().execute(() -> credit(n));
    }

    /** The peer's half-close: what it sent is read, then end-of-stream. */
    void onClose() {
        if (into != null) {
            into.closeWrite();
            remoteDone();
        } else {
            endInbound();
        }
    }

    private void endInbound() {
        boolean drain;
        synchronized (this) {
            if (to == null || remoteDone) {
                return;
            }
            inbound.addLast(END);
            drain = !draining;
            draining = true;
        }
        if (drain) {
            session.executor().execute(this::drain);
        }
    }

    void onCredit(long n) {
        credit.add(n);
    }

    void onCancel() {
        credit.fail(new ChannelClosedException("the peer closed the byte stream"));
        closeQuietly(from);
        boolean out;
        synchronized (this) {
            out = splicedOut;
        }
        if (out) {
            localDone(); // the application's next write fails; nothing more goes out
        }
    }

    void fail(LibchanException e) {
        credit.fail(e);
        if (into != null) {
            into.fail(e);
        } else {
            endInbound();
        }
    }

    private void remoteDone() {
        synchronized (this) {
            remoteDone = true;
        }
        maybeRetire();
    }

    private void localDone() {
        synchronized (this) {
            localDone = true;
        }
        maybeRetire();
    }

    private void maybeRetire() {
        boolean both;
        synchronized (this) {
            both = localDone && remoteDone;
        }
        if (both) {
            session.retire(id, this);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /**
     * Where a spliced pipe end's writes go: {@code data} frames sent on the writer's thread as the
     * peer's credit allows; its close is ours.
     */
    private final class DataOutput extends OutputStream {
        private boolean closed; // guarded by StreamBridge.this

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                sendData(b, off, len);
            } catch (LibchanException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            synchronized (StreamBridge.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            session.sendQuietly(JsonFrames.close(id));
            localDone();
        }
    }
}
