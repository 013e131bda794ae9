package io.libchan.internal.json;

import io.libchan.ChannelClosedException;
import io.libchan.LibchanException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One byte stream between a local pair of streams and the peer. A writer thread reads
 * {@link #from} and sends {@code data} frames as the peer's credit allows, then {@code close}; a
 * reader thread writes the peer's bytes into {@link #to} and credits them back once written (so a
 * local reader that stops reading stops the peer after one window), then closes {@code to} at the
 * peer's {@code close}. Either stream may be absent (a one-way stream). Counters guarded by {@code this}.
 */
final class StreamBridge {
    private static final byte[] END = new byte[0];

    final long id;
    private final JsonSession session;
    private final InputStream from;
    private final OutputStream to;
    private final Credit credit = new Credit(JsonFrames.STREAM_WINDOW);
    private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    private long received;
    private long credited;
    private boolean localDone;
    private boolean remoteDone;

    StreamBridge(JsonSession session, long id, InputStream from, OutputStream to) {
        this.session = session;
        this.id = id;
        this.from = from;
        this.to = to;
    }

    /** Starts moving bytes (after the message naming the stream was sent or received). */
    void start() {
        if (from == null) {
            session.sendQuietly(JsonFrames.close(id));
            localDone();
        } else {
            session.executor().execute(this::writeLoop);
        }
        if (to == null) {
            synchronized (this) {
                remoteDone = true;
            }
        } else {
            session.executor().execute(this::readLoop);
        }
    }

    private void writeLoop() {
        byte[] buf = new byte[JsonFrames.DATA_CHUNK];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                int pos = 0;
                while (pos < n) {
                    int granted = (int) credit.take(n - pos, Long.MAX_VALUE);
                    session.send(JsonFrames.data(id, buf, pos, granted));
                    pos += granted;
                }
            }
            session.sendQuietly(JsonFrames.close(id));
        } catch (IOException e) {
            session.sendQuietly(JsonFrames.close(id));
        } catch (LibchanException e) {
            closeQuietly(from);
        }
        localDone();
    }

    private void readLoop() {
        try {
            while (true) {
                byte[] chunk = inbound.take();
                if (chunk == END) {
                    break;
                }
                to.write(chunk);
                to.flush();
                credit(chunk.length);
            }
        } catch (IOException e) {
            session.sendQuietly(JsonFrames.cancel(id, "the reader closed the stream"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(to);
        synchronized (this) {
            remoteDone = true;
        }
        maybeRetire();
    }

    /** Bytes from the peer (reader thread). */
    void onData(byte[] bytes) {
        synchronized (this) {
            if (received + bytes.length - credited > JsonFrames.STREAM_WINDOW) {
                session.protocolError("the peer sent past its credit on byte stream " + id);
                return;
            }
            received += bytes.length;
        }
        if (to != null) {
            inbound.add(bytes);
        } else {
            credit(bytes.length); // nobody reads this direction: drop, and let the peer go on
        }
    }

    private void credit(int n) {
        synchronized (this) {
            credited += n;
        }
        session.sendQuietly(JsonFrames.credit(id, n));
    }

    void onClose() {
        inbound.add(END);
    }

    void onCredit(long n) {
        credit.add(n);
    }

    void onCancel() {
        credit.fail(new ChannelClosedException("the peer closed the byte stream"));
        closeQuietly(from);
    }

    void fail(LibchanException e) {
        credit.fail(e);
        inbound.add(END);
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
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
